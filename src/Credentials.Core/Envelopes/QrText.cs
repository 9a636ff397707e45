using System.Buffers.Binary;
using System.IO.Compression;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Core.Envelopes;

/// <summary>
/// The text a certificate's QR code holds: <c>TC1:</c> + Base45(zlib(Envelope bytes)). Decoding
/// takes text from anyone, so every step has a limit and a typed error.
/// </summary>
public static class QrText
{
    public const string Prefix = "TC1:";

    /// <summary>The most a QR code holds in alphanumeric mode (version 40, error correction L).</summary>
    public const int MaxTextLength = 4296;

    /// <summary>Decompression stops here; a zlib bomb never allocates more.</summary>
    public const int MaxEnvelopeLength = 64 * 1024;

    /// <summary>A zlib stream's two-byte header and four-byte Adler-32 trailer.</summary>
    private const int ZlibFrameLength = 6;

    /// <exception cref="ArgumentException">The envelope is too large for a QR code.</exception>
    public static string Encode(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            envelope.WriteTo(zlib);
        }
        var text = Prefix + Base45.Encode(compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        if (text.Length > MaxTextLength)
        {
            throw new ArgumentException(
                $"The envelope needs {text.Length} characters of QR text; a QR code holds {MaxTextLength}.", nameof(envelope));
        }
        return text;
    }

    public static QrDecodeResult Decode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Fail(QrTextError.Empty, "The QR text is empty.");
        }
        if (text.Length > MaxTextLength)
        {
            return Fail(QrTextError.TooLong, $"The QR text has {text.Length} characters; at most {MaxTextLength} are allowed.");
        }
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return Fail(QrTextError.WrongPrefix, $"The QR text does not start with \"{Prefix}\".");
        }
        if (!Base45.TryDecode(text.AsSpan(Prefix.Length), out var compressed, out var base45Error))
        {
            return Fail(QrTextError.InvalidBase45, base45Error);
        }

        var buffer = new byte[MaxEnvelopeLength + 1];
        var length = 0;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            int read;
            while (length < buffer.Length && (read = zlib.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }
        }
        catch (InvalidDataException)
        {
            return Fail(QrTextError.InvalidCompression, "The QR text's content is not valid zlib data.");
        }
        if (length > MaxEnvelopeLength)
        {
            return Fail(QrTextError.TooLarge, $"The QR text decompresses to more than {MaxEnvelopeLength} bytes.");
        }
        // ZLibStream stops quietly at the end of its input, so a truncated stream would pass;
        // the stream must end with the Adler-32 of what it held, and nothing after it.
        if (compressed.Length < ZlibFrameLength
            || BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(compressed.Length - 4)) != Adler32(buffer.AsSpan(0, length)))
        {
            return Fail(QrTextError.InvalidCompression, "The QR text's zlib data is truncated or has trailing bytes.");
        }

        try
        {
            return new QrDecodeResult(Envelope.Parser.ParseFrom(buffer, 0, length), QrTextError.None, "Decoded.");
        }
        catch (InvalidProtocolBufferException)
        {
            return Fail(QrTextError.InvalidEnvelope, "The QR text's content is not an Envelope.");
        }
    }

    /// <summary>RFC 1950 Adler-32.</summary>
    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Modulus = 65521;
        uint a = 1, b = 0;
        foreach (var value in data)
        {
            a = (a + value) % Modulus;
            b = (b + a) % Modulus;
        }
        return b << 16 | a;
    }

    private static QrDecodeResult Fail(QrTextError error, string message) => new(null, error, message);
}
