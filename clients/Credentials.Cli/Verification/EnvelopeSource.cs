using System.Text;
using Credentials.Cli.Hosting;
using Credentials.Core.Envelopes;

namespace Credentials.Cli.Verification;

/// <summary>
/// An envelope as a verifier is handed it: the QR text ("TC1:..."), or the serialised Envelope
/// bytes. Read from the argument itself when it starts with "TC1:", from standard input for "-",
/// else from a file holding either form.
/// </summary>
internal sealed record EnvelopeSource(string? QrText, byte[]? EnvelopeBytes)
{
    /// <summary>"TC1 text" or "envelope file", for step details.</summary>
    public string Form => QrText is null ? "envelope bytes" : "TC1 text";

    /// <summary>Larger than any envelope we accept (64 KiB) with room for a QR text around it.</summary>
    private const int MaxInputBytes = 256 * 1024;

    public static EnvelopeSource Read(string argument, CliConsole console)
    {
        if (argument.StartsWith(Core.Envelopes.QrText.Prefix, StringComparison.Ordinal))
        {
            return new EnvelopeSource(argument.Trim(), null);
        }
        byte[] bytes;
        try
        {
            using var stream = argument == "-" ? console.OpenStandardInput() : File.OpenRead(argument);
            bytes = ReadBounded(stream, argument);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {argument}: {e.Message}");
        }
        return FromBytes(bytes);
    }

    /// <summary>Text starting with "TC1:" (surrounding white space ignored) is a QR text; anything else an envelope.</summary>
    public static EnvelopeSource FromBytes(byte[] bytes)
    {
        var prefix = Encoding.ASCII.GetBytes(Core.Envelopes.QrText.Prefix);
        var start = 0;
        while (start < bytes.Length && bytes[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }
        return bytes.AsSpan(start).StartsWith(prefix)
            ? new EnvelopeSource(Encoding.ASCII.GetString(bytes, start, bytes.Length - start).Trim(), null)
            : new EnvelopeSource(null, bytes);
    }

    private static byte[] ReadBounded(Stream stream, string name)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxInputBytes)
            {
                throw new UsageException($"{name} is larger than {MaxInputBytes / 1024} KiB; no certificate envelope is.");
            }
        }
        return buffer.ToArray();
    }
}
