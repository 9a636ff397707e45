using System.Security.Cryptography;
using Credentials.Core.Signing.Asn1;
using Credentials.Core.Signing.Ecdsa;
using Credentials.Core.Signing.Eddsa;
using Credentials.Core.Signing.Sm2;

namespace Credentials.Core.Signing;

/// <summary>
/// A public key that verifies signatures. Immutable and safe to share between threads.
/// Build these only from our own published keys (key files, configuration, the key table),
/// never from a key a request carries: BouncyCastle and OpenSSL only ever see our own keys.
/// </summary>
public abstract class VerificationKey
{
    private const string PemLabel = "PUBLIC KEY";

    private readonly byte[] _raw;
    private readonly byte[] _subjectPublicKeyInfo;

    private protected VerificationKey(SigningAlgorithm algorithm, byte[] raw)
    {
        Algorithm = algorithm;
        _raw = raw;
        _subjectPublicKeyInfo = SubjectPublicKeyInfo.Encode(algorithm, raw);
        KeyId = KeyIds.Compute(algorithm, _subjectPublicKeyInfo);
    }

    public SigningAlgorithm Algorithm { get; }

    /// <summary>The key id derived from the public key (see <see cref="KeyIds"/>).</summary>
    public string KeyId { get; }

    /// <summary>
    /// Verifies a signature over <paramref name="message"/>. Returns false, never throws, for a
    /// wrong, truncated or malformed signature; malformed ones are rejected before any
    /// cryptographic library parses them.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        IsWellFormedSignature(signature) && VerifyWellFormed(message, signature);

    /// <summary>
    /// Checks only the signature's encoding: 64 bytes with a canonical S for Ed25519, strict DER
    /// <c>SEQUENCE { r, s }</c> with r and s in [1, n-1] (at most 72 bytes) for SM2 and ECDSA.
    /// </summary>
    public abstract bool IsWellFormedSignature(ReadOnlySpan<byte> signature);

    /// <summary>DER X.509 SubjectPublicKeyInfo, as <c>openssl pkey -pubout -outform DER</c> writes it.</summary>
    public byte[] ExportSubjectPublicKeyInfo() => (byte[])_subjectPublicKeyInfo.Clone();

    /// <summary>PEM <c>PUBLIC KEY</c>.</summary>
    public string ExportPem() => PemEncoding.WriteString(PemLabel, _subjectPublicKeyInfo);

    /// <summary>The bare key: a 65-byte uncompressed point (SM2, P-256) or 32 bytes (Ed25519).</summary>
    public byte[] ExportRaw() => (byte[])_raw.Clone();

    /// <exception cref="FormatException">Malformed, another algorithm, or not a point on the curve.</exception>
    public static VerificationKey FromSubjectPublicKeyInfo(ReadOnlyMemory<byte> der)
    {
        var (algorithm, raw) = SubjectPublicKeyInfo.Decode(der);
        return Create(algorithm, raw);
    }

    /// <exception cref="FormatException">No PEM <c>PUBLIC KEY</c>, or its content is not a valid key.</exception>
    public static VerificationKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return FromSubjectPublicKeyInfo(Pem.Decode(pem, PemLabel).Der);
    }

    /// <exception cref="FormatException">Wrong length, or not a point on the curve.</exception>
    public static VerificationKey FromRaw(SigningAlgorithm algorithm, ReadOnlySpan<byte> publicKey)
    {
        SubjectPublicKeyInfo.CheckRawLength(algorithm, publicKey);
        return Create(algorithm, publicKey.ToArray());
    }

    private protected abstract bool VerifyWellFormed(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    private static VerificationKey Create(SigningAlgorithm algorithm, byte[] raw) => algorithm switch
    {
        SigningAlgorithm.Sm2Sm3 => new Sm2VerificationKey(raw),
        SigningAlgorithm.EcdsaP256Sha256 => new EcdsaP256VerificationKey(raw),
        SigningAlgorithm.Ed25519 => new Ed25519VerificationKey(raw),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown signing algorithm."),
    };
}
