using System.Security.Cryptography;
using Credentials.Core.Signing.Asn1;
using Credentials.Core.Signing.Ecdsa;
using Credentials.Core.Signing.Eddsa;
using Credentials.Core.Signing.Sm2;

namespace Credentials.Core.Signing;

/// <summary>
/// A private key that signs. Safe to use from many threads at once. Keep one instance per key
/// for the life of the process: building one precomputes tables that make signing fast.
/// </summary>
public abstract class SigningKey : IDisposable
{
    private const string PrivateKeyLabel = "PRIVATE KEY";
    private const string EncryptedPrivateKeyLabel = "ENCRYPTED PRIVATE KEY";

    private bool _disposed;

    private protected SigningKey(VerificationKey publicKey) => PublicKey = publicKey;

    public SigningAlgorithm Algorithm => PublicKey.Algorithm;

    /// <summary>The key id derived from the public key (see <see cref="KeyIds"/>).</summary>
    public string KeyId => PublicKey.KeyId;

    public VerificationKey PublicKey { get; }

    /// <summary>
    /// Signs <paramref name="message"/> (the whole message; the algorithm hashes it): DER for
    /// SM2 and ECDSA, 64 bytes for Ed25519.
    /// </summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return SignCore(message);
    }

    /// <summary>Generates a new random key.</summary>
    public static SigningKey Generate(SigningAlgorithm algorithm) => algorithm switch
    {
        SigningAlgorithm.Sm2Sm3 => Sm2SigningKey.Generate(),
        SigningAlgorithm.EcdsaP256Sha256 => EcdsaP256SigningKey.Generate(),
        SigningAlgorithm.Ed25519 => Ed25519SigningKey.Generate(),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown signing algorithm."),
    };

    /// <summary>
    /// PKCS#8 PEM: <c>PRIVATE KEY</c>, or with a passphrase <c>ENCRYPTED PRIVATE KEY</c>
    /// (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC). Both read with <c>openssl pkey</c>.
    /// </summary>
    public string ExportPrivateKeyPem(string? passphrase = null) =>
        ExportPrivateKeyPem(passphrase, EncryptedPrivateKeyInfo.DefaultIterations);

    internal string ExportPrivateKeyPem(string? passphrase, int iterations)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var der = ExportPkcs8();
        try
        {
            return passphrase is null
                ? PemEncoding.WriteString(PrivateKeyLabel, der)
                : PemEncoding.WriteString(EncryptedPrivateKeyLabel, EncryptedPrivateKeyInfo.Encrypt(der, passphrase, iterations));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Reads a PKCS#8 PEM private key (encrypted ones need the passphrase).</summary>
    /// <exception cref="FormatException">Not a PKCS#8 PEM key of a supported algorithm, or an encrypted key without a passphrase.</exception>
    /// <exception cref="CryptographicException">Wrong passphrase.</exception>
    public static SigningKey FromPrivateKeyPem(string pem, string? passphrase = null)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var (label, der) = Pem.Decode(pem, PrivateKeyLabel, EncryptedPrivateKeyLabel);
        if (label == EncryptedPrivateKeyLabel)
        {
            if (passphrase is null)
            {
                throw new FormatException("The private key is encrypted; a passphrase is required.");
            }
            var encrypted = der;
            try
            {
                der = EncryptedPrivateKeyInfo.Decrypt(encrypted, passphrase);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(encrypted);
            }
        }
        try
        {
            var (algorithm, privateKey) = PrivateKeyInfo.Decode(der);
            return algorithm switch
            {
                SigningAlgorithm.Sm2Sm3 => Sm2SigningKey.FromEcPrivateKey(privateKey),
                SigningAlgorithm.EcdsaP256Sha256 => EcdsaP256SigningKey.FromPkcs8(der),
                SigningAlgorithm.Ed25519 => Ed25519SigningKey.FromCurvePrivateKey(privateKey),
                _ => throw new FormatException($"Unsupported key algorithm {algorithm}."),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Dispose(disposing: true);
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Signs; the message is the caller's, the result is a new array.</summary>
    private protected abstract byte[] SignCore(ReadOnlySpan<byte> message);

    /// <summary>PKCS#8 PrivateKeyInfo DER; the caller clears it.</summary>
    private protected abstract byte[] ExportPkcs8();

    /// <summary>Releases native handles and clears private key bytes the subclass owns.</summary>
    private protected virtual void Dispose(bool disposing)
    {
    }
}
