using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Credentials.Core.Signing.Asn1;

/// <summary>
/// PKCS#8 PrivateKeyInfo (RFC 5208/5958) for SM2 (RFC 5915 ECPrivateKey inside) and Ed25519
/// (RFC 8410), in the shape <c>openssl genpkey</c> writes. P-256 keys go through .NET's own
/// PKCS#8 support instead.
/// </summary>
internal static class PrivateKeyInfo
{
    private const int ScalarLength = 32;

    private static readonly Asn1Tag EcParametersTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag EcPublicKeyTag = new(TagClass.ContextSpecific, 1, isConstructed: true);

    /// <summary>Returns the algorithm and the content of the privateKey OCTET STRING.</summary>
    /// <exception cref="FormatException">Malformed, or an algorithm we do not use.</exception>
    public static (SigningAlgorithm Algorithm, ReadOnlyMemory<byte> PrivateKey) Decode(ReadOnlyMemory<byte> der) =>
        Der.Read(der, "private key", reader =>
        {
            var info = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!info.TryReadInt32(out var version) || version is not (0 or 1))
            {
                throw new FormatException("Unsupported PKCS#8 version.");
            }
            var algorithmIdentifier = info.ReadSequence();
            var algorithm = SubjectPublicKeyInfo.ReadAlgorithm(algorithmIdentifier);
            algorithmIdentifier.ThrowIfNotEmpty();
            if (!info.TryReadPrimitiveOctetString(out var privateKey))
            {
                throw new FormatException("The PKCS#8 privateKey is not a primitive OCTET STRING.");
            }
            // Optional attributes [0] and (version 1) public key [1] follow; we derive the public key.
            return (algorithm, privateKey);
        });

    /// <summary>A PKCS#8 PrivateKeyInfo (version 0) around an algorithm-specific private key.</summary>
    public static byte[] Encode(SigningAlgorithm algorithm, ReadOnlySpan<byte> privateKey)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                if (algorithm == SigningAlgorithm.Ed25519)
                {
                    writer.WriteObjectIdentifier(Oids.Ed25519);
                }
                else
                {
                    writer.WriteObjectIdentifier(Oids.EcPublicKey);
                    writer.WriteObjectIdentifier(SubjectPublicKeyInfo.CurveOid(algorithm));
                }
            }
            writer.WriteOctetString(privateKey);
        }
        return writer.Encode();
    }

    /// <summary>An RFC 5915 ECPrivateKey with the public point, as OpenSSL writes it.</summary>
    public static byte[] EncodeEcPrivateKey(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> publicPoint)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteOctetString(scalar);
            using (writer.PushSequence(EcPublicKeyTag))
            {
                writer.WriteBitString(publicPoint);
            }
        }
        return writer.Encode();
    }

    /// <summary>
    /// Decodes an RFC 5915 ECPrivateKey: the 32-byte big-endian scalar and, when present, the
    /// public point (for the caller to compare with the one it derives).
    /// </summary>
    public static (byte[] Scalar, byte[]? PublicPoint) DecodeEcPrivateKey(ReadOnlyMemory<byte> der, string curveOid) =>
        Der.Read(der, "private key", reader =>
        {
            var key = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!key.TryReadInt32(out var version) || version != 1)
            {
                throw new FormatException("Unsupported ECPrivateKey version.");
            }
            var encoded = key.ReadOctetString();
            if (encoded.Length is 0 or > ScalarLength)
            {
                throw new FormatException($"The EC private key is {encoded.Length} bytes; expected at most {ScalarLength}.");
            }
            var scalar = new byte[ScalarLength];
            encoded.CopyTo(scalar, ScalarLength - encoded.Length);
            CryptographicOperations.ZeroMemory(encoded);
            if (key.HasData && key.PeekTag().HasSameClassAndValue(EcParametersTag))
            {
                var parameters = key.ReadSequence(EcParametersTag);
                if (parameters.ReadObjectIdentifier() != curveOid)
                {
                    throw new FormatException("The ECPrivateKey names a different curve from its PKCS#8 algorithm.");
                }
            }
            byte[]? publicPoint = null;
            if (key.HasData)
            {
                var wrapped = key.ReadSequence(EcPublicKeyTag);
                publicPoint = wrapped.ReadBitString(out _);
                wrapped.ThrowIfNotEmpty();
            }
            key.ThrowIfNotEmpty();
            return (scalar, publicPoint);
        });

    /// <summary>RFC 8410 CurvePrivateKey: an OCTET STRING holding the 32-byte seed.</summary>
    public static byte[] EncodeEd25519PrivateKey(ReadOnlySpan<byte> seed)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(seed);
        return writer.Encode();
    }

    public static byte[] DecodeEd25519PrivateKey(ReadOnlyMemory<byte> der) =>
        Der.Read(der, "private key", reader =>
        {
            var seed = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
            if (seed.Length != SubjectPublicKeyInfo.Ed25519KeyLength)
            {
                throw new FormatException($"An Ed25519 private key is {SubjectPublicKeyInfo.Ed25519KeyLength} bytes, not {seed.Length}.");
            }
            return seed;
        });
}
