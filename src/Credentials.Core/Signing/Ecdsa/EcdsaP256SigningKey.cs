using System.Security.Cryptography;

namespace Credentials.Core.Signing.Ecdsa;

/// <summary>
/// ECDSA P-256/SHA-256 signing through .NET. On Linux the ECDsa object wraps an OpenSSL
/// EVP_PKEY that signing only reads, so concurrent Sign calls are safe.
/// </summary>
internal sealed class EcdsaP256SigningKey : SigningKey
{
    private readonly ECDsa _key;

    private EcdsaP256SigningKey(ECDsa key)
        : base(new EcdsaP256VerificationKey(EcdsaP256VerificationKey.EncodePoint(key)))
    {
        _key = key;
    }

    public static EcdsaP256SigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>From a whole PKCS#8 PrivateKeyInfo (already known to name P-256).</summary>
    public static EcdsaP256SigningKey FromPkcs8(ReadOnlySpan<byte> privateKeyInfo)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(privateKeyInfo, out var read);
            if (read != privateKeyInfo.Length)
            {
                throw new FormatException("Unexpected data after the P-256 private key.");
            }
            return new EcdsaP256SigningKey(key);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new FormatException("The P-256 private key is invalid.", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private protected override byte[] SignCore(ReadOnlySpan<byte> message) =>
        _key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    private protected override byte[] ExportPkcs8() => _key.ExportPkcs8PrivateKey();

    private protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
        }
    }
}
