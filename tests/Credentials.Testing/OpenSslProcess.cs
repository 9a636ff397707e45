using System.ComponentModel;
using System.Diagnostics;

using Xunit;

namespace Credentials.Testing;

/// <summary>Runs the openssl command line in a private temporary directory, for interop tests.</summary>
public sealed class OpenSslProcess : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public OpenSslProcess() => Directory = System.IO.Directory.CreateTempSubdirectory("credentials-openssl-").FullName;

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public string Write(string name, byte[] content)
    {
        File.WriteAllBytes(PathOf(name), content);
        return PathOf(name);
    }

    public string Write(string name, string content)
    {
        File.WriteAllText(PathOf(name), content);
        return PathOf(name);
    }

    public byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>Runs openssl and fails the test, with its output, unless it exits with 0.</summary>
    public string Run(params string[] arguments)
    {
        var (exitCode, output) = TryRun(arguments);
        Assert.True(exitCode == 0, $"openssl {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
        return output;
    }

    public (int ExitCode, string Output) TryRun(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"The openssl command is needed for interop tests but was not found on PATH ({e.Message}). Install it: apt-get install -y openssl");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill();
                Assert.Fail($"openssl {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s.");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }

    /// <summary>
    /// pkeyutl's options for a signature algorithm, by its name: SM2 hashes with SM3 and the
    /// default distinguishing ID of GB/T 32918 (OpenSSL 3.0 has no default), the others sign raw input.
    /// </summary>
    public static string[] SignatureOptions(string algorithm) => algorithm switch
    {
        "SM2-SM3" => ["-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678"],
        "ECDSA-P256-SHA256" => ["-rawin", "-digest", "sha256"],
        "Ed25519" => ["-rawin"],
        _ => throw new ArgumentException($"Unknown algorithm {algorithm}.", nameof(algorithm)),
    };

    /// <summary>Whether `openssl pkeyutl -verify` accepts the signature over the message with the PEM public key.</summary>
    public bool Verifies(string algorithm, string publicKeyPem, byte[] message, byte[] signature)
    {
        var name = Guid.NewGuid().ToString("N");
        var key = Write(name + ".pub.pem", publicKeyPem);
        var input = Write(name + ".msg", message);
        var sig = Write(name + ".sig", signature);
        var (exitCode, output) = TryRun(["pkeyutl", "-verify", "-pubin", "-inkey", key, .. SignatureOptions(algorithm), "-in", input, "-sigfile", sig]);
        return exitCode == 0 && output.Contains("Signature Verified Successfully", StringComparison.Ordinal);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
