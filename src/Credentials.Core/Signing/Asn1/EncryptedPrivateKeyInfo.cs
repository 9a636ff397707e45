using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;

namespace Credentials.Core.Signing.Asn1;

/// <summary>
/// PKCS#8 EncryptedPrivateKeyInfo with PBES2 (RFC 8018): PBKDF2-HMAC-SHA256 and AES-256-CBC,
/// which is what <c>openssl pkey -aes256</c> writes. Other schemes are refused by name.
/// </summary>
internal static class EncryptedPrivateKeyInfo
{
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256; key files are read once at start.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Refuses files that would take minutes to open.</summary>
    public const int MaxIterations = 10_000_000;

    private const int SaltLength = 16;
    private const int KeyLength = 32;
    private const int IvLength = 16;

    public static byte[] Encrypt(ReadOnlySpan<byte> privateKeyInfo, string passphrase, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var iv = RandomNumberGenerator.GetBytes(IvLength);
        byte[] ciphertext;
        using (var aes = CreateAes(passphrase, salt, iterations))
        {
            ciphertext = aes.EncryptCbc(privateKeyInfo, iv);
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oids.Pbes2);
                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(Oids.Pbkdf2);
                        using (writer.PushSequence())
                        {
                            writer.WriteOctetString(salt);
                            writer.WriteInteger(iterations);
                            using (writer.PushSequence())
                            {
                                writer.WriteObjectIdentifier(Oids.HmacWithSha256);
                                writer.WriteNull();
                            }
                        }
                    }
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(Oids.Aes256Cbc);
                        writer.WriteOctetString(iv);
                    }
                }
            }
            writer.WriteOctetString(ciphertext);
        }
        return writer.Encode();
    }

    /// <summary>Returns the PrivateKeyInfo DER inside.</summary>
    /// <exception cref="FormatException">Malformed, or a scheme other than PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC.</exception>
    /// <exception cref="CryptographicException">Wrong passphrase (or corrupted ciphertext).</exception>
    public static byte[] Decrypt(ReadOnlyMemory<byte> der, string passphrase)
    {
        byte[] salt, iv, ciphertext;
        int iterations;
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var info = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var scheme = info.ReadSequence();
            Expect(scheme.ReadObjectIdentifier(), Oids.Pbes2, "encryption scheme");
            var pbes2 = scheme.ReadSequence();
            scheme.ThrowIfNotEmpty();

            var kdf = pbes2.ReadSequence();
            Expect(kdf.ReadObjectIdentifier(), Oids.Pbkdf2, "key derivation function");
            var pbkdf2 = kdf.ReadSequence();
            kdf.ThrowIfNotEmpty();
            salt = pbkdf2.ReadOctetString();
            if (!pbkdf2.TryReadInt32(out iterations) || iterations < 1 || iterations > MaxIterations)
            {
                throw new FormatException($"PBKDF2 iteration count must be between 1 and {MaxIterations}.");
            }
            if (pbkdf2.HasData && pbkdf2.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)
                && (!pbkdf2.TryReadInt32(out var keyLength) || keyLength != KeyLength))
            {
                throw new FormatException($"PBKDF2 key length must be {KeyLength} for AES-256.");
            }
            // The PRF defaults to HMAC-SHA1 when absent; we only accept an explicit HMAC-SHA256.
            var prf = pbkdf2.HasData ? pbkdf2.ReadSequence() : null;
            pbkdf2.ThrowIfNotEmpty();
            Expect(prf?.ReadObjectIdentifier(), Oids.HmacWithSha256, "PBKDF2 pseudo-random function");
            if (prf!.HasData)
            {
                prf.ReadNull();
            }
            prf.ThrowIfNotEmpty();

            var cipher = pbes2.ReadSequence();
            pbes2.ThrowIfNotEmpty();
            Expect(cipher.ReadObjectIdentifier(), Oids.Aes256Cbc, "cipher");
            iv = cipher.ReadOctetString();
            cipher.ThrowIfNotEmpty();
            if (iv.Length != IvLength)
            {
                throw new FormatException($"The AES-CBC IV is {iv.Length} bytes; expected {IvLength}.");
            }
            ciphertext = info.ReadOctetString();
            info.ThrowIfNotEmpty();
        }
        catch (AsnContentException e)
        {
            throw new FormatException("The encrypted private key is not valid DER.", e);
        }

        using var aes = CreateAes(passphrase, salt, iterations);
        byte[] plaintext;
        try
        {
            plaintext = aes.DecryptCbc(ciphertext, iv);
        }
        catch (CryptographicException e)
        {
            throw WrongPassphrase(e);
        }
        // A wrong key gets past the padding check about once in 256 tries; then it is not DER.
        if (!AsnDecoder.TryReadEncodedValue(plaintext, AsnEncodingRules.DER, out var tag, out _, out _, out var consumed)
            || tag != Asn1Tag.Sequence || consumed != plaintext.Length)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw WrongPassphrase(null);
        }
        return plaintext;
    }

    private static CryptographicException WrongPassphrase(Exception? inner) =>
        new("Cannot decrypt the private key: wrong passphrase or corrupted file.", inner);

    private static Aes CreateAes(string passphrase, byte[] salt, int iterations)
    {
        var password = Encoding.UTF8.GetBytes(passphrase);
        var aes = Aes.Create();
        var key = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, KeyLength);
        aes.Key = key;
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(password);
        return aes;
    }

    private static void Expect(string? actual, string expected, string what)
    {
        if (actual != expected)
        {
            throw new FormatException($"Unsupported {what} {actual ?? "(absent)"}; expected {expected}.");
        }
    }
}
