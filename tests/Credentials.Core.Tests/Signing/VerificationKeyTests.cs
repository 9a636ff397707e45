using System.Text;
using Credentials.Core.Signing;

namespace Credentials.Core.Tests.Signing;

public class VerificationKeyTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("payload");

    public static TheoryData<SigningAlgorithm> Algorithms => SigningKeyTests.Algorithms;

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void FromSubjectPublicKeyInfo_Exported_SameKeyVerifies(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);

        var imported = VerificationKey.FromSubjectPublicKeyInfo(key.PublicKey.ExportSubjectPublicKeyInfo());

        Assert.Equal(key.KeyId, imported.KeyId);
        Assert.Equal(algorithm, imported.Algorithm);
        Assert.True(imported.Verify(Message, key.Sign(Message)));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void FromPem_Exported_SameKeyId(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);

        var pem = key.PublicKey.ExportPem();

        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pem, StringComparison.Ordinal);
        Assert.Equal(key.KeyId, VerificationKey.FromPem(pem).KeyId);
    }

    [Theory]
    [InlineData(SigningAlgorithm.Sm2Sm3, 65)]
    [InlineData(SigningAlgorithm.EcdsaP256Sha256, 65)]
    [InlineData(SigningAlgorithm.Ed25519, 32)]
    public void FromRaw_Exported_SameKeyId(SigningAlgorithm algorithm, int rawLength)
    {
        using var key = SigningKey.Generate(algorithm);

        var raw = key.PublicKey.ExportRaw();

        Assert.Equal(rawLength, raw.Length);
        Assert.Equal(key.KeyId, VerificationKey.FromRaw(algorithm, raw).KeyId);
    }

    [Theory]
    [InlineData(SigningAlgorithm.Sm2Sm3, 64)]
    [InlineData(SigningAlgorithm.EcdsaP256Sha256, 33)]
    [InlineData(SigningAlgorithm.Ed25519, 31)]
    public void FromRaw_WrongLength_ThrowsFormatException(SigningAlgorithm algorithm, int length)
    {
        var raw = new byte[length];
        raw[0] = 0x04;

        Assert.Throws<FormatException>(() => VerificationKey.FromRaw(algorithm, raw));
    }

    [Theory]
    [InlineData(SigningAlgorithm.Sm2Sm3)]
    [InlineData(SigningAlgorithm.EcdsaP256Sha256)]
    public void FromRaw_PointOffTheCurve_ThrowsFormatException(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        var raw = key.PublicKey.ExportRaw();
        raw[^1] ^= 1;

        Assert.Throws<FormatException>(() => VerificationKey.FromRaw(algorithm, raw));
    }

    [Fact]
    public void FromRaw_Sm2CoordinateNotAFieldElement_ThrowsFormatException()
    {
        var raw = new byte[65];
        raw.AsSpan(1).Fill(0xFF);
        raw[0] = 0x04;

        Assert.Throws<FormatException>(() => VerificationKey.FromRaw(SigningAlgorithm.Sm2Sm3, raw));
    }

    [Fact]
    public void FromRaw_Ed25519SmallOrderPoint_ThrowsFormatException()
    {
        // The identity point (y = 1) has order 1: a key that any signature would satisfy.
        var identity = new byte[32];
        identity[0] = 1;

        Assert.Throws<FormatException>(() => VerificationKey.FromRaw(SigningAlgorithm.Ed25519, identity));
    }

    [Fact]
    public void FromSubjectPublicKeyInfo_Garbage_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => VerificationKey.FromSubjectPublicKeyInfo(new byte[] { 0x30, 0x03, 0x02, 0x01 }));
    }

    [Fact]
    public void FromSubjectPublicKeyInfo_OtherCurve_ThrowsFormatExceptionNamingIt()
    {
        // A P-384 key (secp384r1): a real SPKI of an algorithm we do not use.
        using var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<FormatException>(() => VerificationKey.FromSubjectPublicKeyInfo(p384.ExportSubjectPublicKeyInfo()));

        Assert.Contains("1.3.132.0.34", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_PrivateKeyPem_ThrowsFormatException()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Ed25519);

        Assert.Throws<FormatException>(() => VerificationKey.FromPem(key.ExportPrivateKeyPem()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(128)]
    public void Verify_Ed25519WrongSize_ReturnsFalse(int length)
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Ed25519);
        var signature = new byte[length];
        key.Sign(Message).AsSpan(0, Math.Min(64, length)).CopyTo(signature);

        // BouncyCastle indexes 64 bytes unchecked; it must never see these.
        Assert.False(key.PublicKey.IsWellFormedSignature(signature));
        Assert.False(key.PublicKey.Verify(Message, signature));
    }

    [Fact]
    public void Verify_Ed25519NonCanonicalS_ReturnsFalse()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Ed25519);
        var signature = key.Sign(Message);
        // S + L: the same S modulo L, the malleated form RFC 8032 requires verifiers to reject.
        AddOrder(signature.AsSpan(32));

        Assert.False(key.PublicKey.IsWellFormedSignature(signature));
        Assert.False(key.PublicKey.Verify(Message, signature));
    }

    private static readonly string[] MalformedDerSignatures =
    [
        "",                    // empty
        "3106020101020101",    // not a SEQUENCE
        "3007020101020101",    // SEQUENCE length disagrees with the input
        "308106020101020101",  // long-form length where the short form fits
        "3006020101030101",    // second element not an INTEGER
        "300602010102010100",  // trailing byte
        "3006020100020101",    // r = 0
        "30060201FF020101",    // r negative
        "300702020001020101",  // r with a needless leading zero
        "3006020101020201",    // s runs past the end
    ];

    public static TheoryData<SigningAlgorithm, string> EcAlgorithmsAndMalformedDer()
    {
        var data = new TheoryData<SigningAlgorithm, string>();
        foreach (var algorithm in new[] { SigningAlgorithm.Sm2Sm3, SigningAlgorithm.EcdsaP256Sha256 })
        {
            foreach (var hex in MalformedDerSignatures)
            {
                data.Add(algorithm, hex);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EcAlgorithmsAndMalformedDer))]
    public void Verify_MalformedDer_ReturnsFalseWithoutThrowing(SigningAlgorithm algorithm, string hex)
    {
        using var key = SigningKey.Generate(algorithm);
        var signature = Convert.FromHexString(hex);

        Assert.False(key.PublicKey.IsWellFormedSignature(signature));
        Assert.False(key.PublicKey.Verify(Message, signature));
    }

    [Theory]
    [InlineData(SigningAlgorithm.Sm2Sm3)]
    [InlineData(SigningAlgorithm.EcdsaP256Sha256)]
    public void Verify_WellFormedWrongDer_ReturnsFalse(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        var signature = Convert.FromHexString("3006020101020101"); // r = 1, s = 1

        Assert.True(key.PublicKey.IsWellFormedSignature(signature));
        Assert.False(key.PublicKey.Verify(Message, signature));
    }

    [Theory]
    [InlineData(SigningAlgorithm.Sm2Sm3)]
    [InlineData(SigningAlgorithm.EcdsaP256Sha256)]
    public void Verify_DerWithScalarNotBelowOrder_ReturnsFalse(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        var der = key.Sign(Message);
        // Replace s by 2^256 - 1, which is at least n on both curves.
        var r = der.AsSpan(2, 2 + der[3]).ToArray();
        byte[] tooLarge = [0x02, 0x21, 0x00, .. Enumerable.Repeat((byte)0xFF, 32)];
        byte[] signature = [0x30, (byte)(r.Length + tooLarge.Length), .. r, .. tooLarge];

        Assert.False(key.PublicKey.IsWellFormedSignature(signature));
    }

    [Theory]
    [InlineData(SigningAlgorithm.Sm2Sm3)]
    [InlineData(SigningAlgorithm.EcdsaP256Sha256)]
    public void Verify_DerLongerThan72Bytes_ReturnsFalse(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        var signature = key.Sign(Message);
        byte[] padded = [0x30, (byte)(signature.Length - 2 + 40), .. signature.AsSpan(2), .. new byte[40]];

        Assert.False(key.PublicKey.Verify(Message, padded));
    }

    private static void AddOrder(Span<byte> littleEndian)
    {
        ReadOnlySpan<byte> order = Convert.FromHexString("EDD3F55C1A631258D69CF7A2DEF9DE1400000000000000000000000000000010");
        var carry = 0;
        for (var i = 0; i < littleEndian.Length; i++)
        {
            var sum = littleEndian[i] + order[i] + carry;
            littleEndian[i] = (byte)sum;
            carry = sum >> 8;
        }
    }
}
