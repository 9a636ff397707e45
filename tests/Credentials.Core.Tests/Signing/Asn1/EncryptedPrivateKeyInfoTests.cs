using System.Formats.Asn1;
using Credentials.Core.Signing.Asn1;

namespace Credentials.Core.Tests.Signing.Asn1;

public class EncryptedPrivateKeyInfoTests
{
    private static readonly byte[] Secret = [0x30, 0x03, 0x02, 0x01, 0x00];

    [Fact]
    public void Decrypt_Encrypted_ReturnsPlaintext()
    {
        var der = EncryptedPrivateKeyInfo.Encrypt(Secret, "pass", iterations: 1000);

        Assert.Equal(Secret, EncryptedPrivateKeyInfo.Decrypt(der, "pass"));
    }

    [Fact]
    public void Decrypt_IterationsAboveLimit_ThrowsFormatExceptionBeforeDeriving()
    {
        var der = Rewrite(EncryptedPrivateKeyInfo.Encrypt(Secret, "pass", iterations: 1000), iterations: EncryptedPrivateKeyInfo.MaxIterations + 1);

        var error = Assert.Throws<FormatException>(() => EncryptedPrivateKeyInfo.Decrypt(der, "pass"));

        Assert.Contains("iteration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_DefaultSha1Prf_ThrowsFormatExceptionNamingPrf()
    {
        var der = Rewrite(EncryptedPrivateKeyInfo.Encrypt(Secret, "pass", iterations: 1000), iterations: 1000, omitPrf: true);

        var error = Assert.Throws<FormatException>(() => EncryptedPrivateKeyInfo.Decrypt(der, "pass"));

        Assert.Contains("pseudo-random function", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_Truncated_ThrowsFormatException()
    {
        var der = EncryptedPrivateKeyInfo.Encrypt(Secret, "pass", iterations: 1000);

        Assert.Throws<FormatException>(() => EncryptedPrivateKeyInfo.Decrypt(der.AsMemory(0, der.Length - 1), "pass"));
    }

    /// <summary>Re-encodes the structure with another iteration count and optionally no PRF.</summary>
    private static byte[] Rewrite(byte[] der, int iterations, bool omitPrf = false)
    {
        var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var scheme = info.ReadSequence();
        scheme.ReadObjectIdentifier();
        var pbes2 = scheme.ReadSequence();
        var kdf = pbes2.ReadSequence();
        kdf.ReadObjectIdentifier();
        var pbkdf2 = kdf.ReadSequence();
        var salt = pbkdf2.ReadOctetString();
        pbkdf2.ReadInteger();
        var prf = pbkdf2.ReadEncodedValue();
        var cipher = pbes2.ReadEncodedValue();
        var ciphertext = info.ReadOctetString();

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.5.13");
                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier("1.2.840.113549.1.5.12");
                        using (writer.PushSequence())
                        {
                            writer.WriteOctetString(salt);
                            writer.WriteInteger(iterations);
                            if (!omitPrf)
                            {
                                writer.WriteEncodedValue(prf.Span);
                            }
                        }
                    }
                    writer.WriteEncodedValue(cipher.Span);
                }
            }
            writer.WriteOctetString(ciphertext);
        }
        return writer.Encode();
    }
}
