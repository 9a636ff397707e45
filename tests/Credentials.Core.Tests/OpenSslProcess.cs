using System.ComponentModel;
using System.Diagnostics;

namespace Credentials.Core.Tests;

/// <summary>Runs the openssl command line in a private temporary directory, for interop tests.</summary>
internal sealed class OpenSslProcess : IDisposable
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

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
