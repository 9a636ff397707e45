using System.IO.Compression;
using Credentials.Core.Envelopes;
using Credentials.Core.Signing;
using Credentials.Core.Tests.Signing;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Core.Tests.Envelopes;

public class QrTextTests
{
    [Theory]
    [MemberData(nameof(SigningKeyTests.Algorithms), MemberType = typeof(SigningKeyTests))]
    public void Decode_EncodedSignedEnvelope_VerifiesAgain(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        var envelope = EnvelopeSigner.SignCertificate(EnvelopeVerifierTests.Document(key.KeyId), key);

        var text = QrText.Encode(envelope);
        var result = QrText.Decode(text);

        Assert.StartsWith("TC1:", text, StringComparison.Ordinal);
        Assert.True(result.IsSuccess, result.Message);
        Assert.Equal(envelope, result.Envelope);
        Assert.True(EnvelopeVerifier.Verify(result.Envelope, PayloadTypes.Certificate, _ => key.PublicKey).IsValid);
    }

    [Fact]
    public void Encode_SignedCertificate_UsesOnlyQrAlphanumericCharacters()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);

        var text = QrText.Encode(EnvelopeSigner.SignCertificate(EnvelopeVerifierTests.Document(key.KeyId), key));

        Assert.Matches(@"^[0-9A-Z $%*+\-./:]+$", text);
    }

    [Theory]
    [InlineData(null, QrTextError.Empty)]
    [InlineData("", QrTextError.Empty)]
    [InlineData("TC2:BB8", QrTextError.WrongPrefix)]
    [InlineData("tc1:BB8", QrTextError.WrongPrefix)]
    [InlineData("TC1:BB8x", QrTextError.InvalidBase45)]
    [InlineData("TC1:GGW", QrTextError.InvalidBase45)]
    [InlineData("TC1:B", QrTextError.InvalidBase45)]
    [InlineData("TC1:", QrTextError.InvalidCompression)]
    [InlineData("TC1:BB8", QrTextError.InvalidCompression)]
    public void Decode_HostileText_FailsWithTypedError(string? text, QrTextError expected)
    {
        var result = QrText.Decode(text);

        Assert.False(result.IsSuccess);
        Assert.Null(result.Envelope);
        Assert.Equal(expected, result.Error);
        Assert.NotEmpty(result.Message);
    }

    [Fact]
    public void Decode_LongerThanAnyQrCode_IsTooLongWithoutDecoding()
    {
        var result = QrText.Decode("TC1:" + new string('0', QrText.MaxTextLength));

        Assert.Equal(QrTextError.TooLong, result.Error);
    }

    [Fact]
    public void Decode_ZlibBomb_IsTooLargeAndAllocatesLittle()
    {
        // 16 MiB of zeros compresses to about 16 KiB: too long for a QR code, so use 2 MiB.
        var text = QrText.Prefix + Base45.Encode(Compress(new byte[2 * 1024 * 1024]));
        Assert.True(text.Length <= QrText.MaxTextLength);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = QrText.Decode(text);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(QrTextError.TooLarge, result.Error);
        Assert.True(allocated < 256 * 1024, $"Decoding allocated {allocated} bytes.");
    }

    [Fact]
    public void Decode_ZlibOfNonProtobuf_IsInvalidEnvelope()
    {
        var result = QrText.Decode(QrText.Prefix + Base45.Encode(Compress([0xFF, 0xFF, 0xFF])));

        Assert.Equal(QrTextError.InvalidEnvelope, result.Error);
    }

    [Theory]
    [InlineData(1)]  // part of the Adler-32 missing
    [InlineData(4)]  // all of it missing: ZLibStream alone would accept this
    [InlineData(9)]  // deflate data missing
    public void Decode_TruncatedZlib_IsInvalidCompression(int missingBytes)
    {
        var compressed = Compress(SampleEnvelopeBytes());

        var result = QrText.Decode(QrText.Prefix + Base45.Encode(compressed.AsSpan(0, compressed.Length - missingBytes)));

        Assert.Equal(QrTextError.InvalidCompression, result.Error);
    }

    [Fact]
    public void Decode_BytesAfterZlibStream_IsInvalidCompression()
    {
        byte[] compressed = [.. Compress(SampleEnvelopeBytes()), 0x00, 0x01];

        var result = QrText.Decode(QrText.Prefix + Base45.Encode(compressed));

        Assert.Equal(QrTextError.InvalidCompression, result.Error);
    }

    [Fact]
    public void Encode_EnvelopeTooLargeForQrCode_Throws()
    {
        var payload = new byte[8000];
        new Random(1).NextBytes(payload);
        var envelope = new Envelope { PayloadType = PayloadTypes.Certificate, Payload = ByteString.CopyFrom(payload) };

        Assert.Throws<ArgumentException>(() => QrText.Encode(envelope));
    }

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] SampleEnvelopeBytes() =>
        new Envelope { PayloadType = PayloadTypes.Certificate, Payload = ByteString.CopyFrom(new byte[300]) }.ToByteArray();
}
