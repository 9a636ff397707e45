using System.Security.Cryptography;
using System.Text;
using Credentials.Core.Signing;

namespace Credentials.Core.Tests.Signing;

public class PrivateKeyPemTests
{
    private const string Passphrase = "口令 with spaces";
    private const int FastIterations = 1000;

    private static readonly byte[] Message = Encoding.UTF8.GetBytes("payload");

    public static TheoryData<SigningAlgorithm> Algorithms => SigningKeyTests.Algorithms;

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void FromPrivateKeyPem_Exported_SignsForSamePublicKey(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);

        var pem = key.ExportPrivateKeyPem();
        using var imported = SigningKey.FromPrivateKeyPem(pem);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        Assert.Equal(key.KeyId, imported.KeyId);
        Assert.True(key.PublicKey.Verify(Message, imported.Sign(Message)));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void FromPrivateKeyPem_ExportedEncrypted_SignsForSamePublicKey(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);

        var pem = key.ExportPrivateKeyPem(Passphrase, FastIterations);
        using var imported = SigningKey.FromPrivateKeyPem(pem, Passphrase);

        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", pem, StringComparison.Ordinal);
        Assert.Equal(key.KeyId, imported.KeyId);
        Assert.True(key.PublicKey.Verify(Message, imported.Sign(Message)));
    }

    [Fact]
    public void ExportPrivateKeyPem_DefaultIterations_RoundTrips()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);

        using var imported = SigningKey.FromPrivateKeyPem(key.ExportPrivateKeyPem(Passphrase), Passphrase);

        Assert.Equal(key.KeyId, imported.KeyId);
    }

    [Fact]
    public void ExportPrivateKeyPem_SameKeyTwice_UsesFreshSaltAndIv()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Ed25519);

        Assert.NotEqual(key.ExportPrivateKeyPem(Passphrase, FastIterations), key.ExportPrivateKeyPem(Passphrase, FastIterations));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void FromPrivateKeyPem_WrongPassphrase_ThrowsCryptographicException(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        var pem = key.ExportPrivateKeyPem(Passphrase, FastIterations);

        Assert.Throws<CryptographicException>(() => SigningKey.FromPrivateKeyPem(pem, "wrong"));
    }

    [Fact]
    public void FromPrivateKeyPem_EncryptedWithoutPassphrase_ThrowsFormatExceptionSayingSo()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Ed25519);
        var pem = key.ExportPrivateKeyPem(Passphrase, FastIterations);

        var error = Assert.Throws<FormatException>(() => SigningKey.FromPrivateKeyPem(pem));

        Assert.Contains("passphrase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPrivateKeyPem_PublicKeyPem_ThrowsFormatException()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);

        Assert.Throws<FormatException>(() => SigningKey.FromPrivateKeyPem(key.PublicKey.ExportPem()));
    }

    [Fact]
    public void FromPrivateKeyPem_NotPem_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => SigningKey.FromPrivateKeyPem("not a key"));
    }

    [Fact]
    public void FromPrivateKeyPem_RsaKey_ThrowsFormatExceptionNamingAlgorithm()
    {
        using var rsa = RSA.Create(2048);

        var error = Assert.Throws<FormatException>(() => SigningKey.FromPrivateKeyPem(rsa.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("1.2.840.113549.1.1.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPrivateKeyPem_Sm2KeyWithForeignPublicKey_ThrowsFormatException()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);
        using var other = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);
        // Splice the other key's public point into this key's PKCS#8 (the point is the last 65 bytes).
        var der = DecodePem(key.ExportPrivateKeyPem());
        other.PublicKey.ExportRaw().CopyTo(der.AsSpan(der.Length - 65));

        Assert.Throws<FormatException>(() => SigningKey.FromPrivateKeyPem(PemEncoding.WriteString("PRIVATE KEY", der)));
    }

    private static byte[] DecodePem(string pem)
    {
        var fields = PemEncoding.Find(pem);
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }
}
