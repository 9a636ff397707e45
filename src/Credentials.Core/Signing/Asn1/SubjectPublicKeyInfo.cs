using System.Formats.Asn1;

namespace Credentials.Core.Signing.Asn1;

/// <summary>
/// X.509 SubjectPublicKeyInfo for our three algorithms, as OpenSSL 3 writes them: EC keys
/// (SM2, P-256) as id-ecPublicKey with a named curve and an uncompressed point; Ed25519 as
/// RFC 8410 (no parameters, 32 bytes).
/// </summary>
internal static class SubjectPublicKeyInfo
{
    /// <summary>An uncompressed point on a 256-bit curve: 0x04, X, Y.</summary>
    public const int EcPointLength = 65;

    public const int Ed25519KeyLength = 32;

    public static byte[] Encode(SigningAlgorithm algorithm, ReadOnlySpan<byte> rawPublicKey)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                switch (algorithm)
                {
                    case SigningAlgorithm.Ed25519:
                        writer.WriteObjectIdentifier(Oids.Ed25519);
                        break;
                    default:
                        writer.WriteObjectIdentifier(Oids.EcPublicKey);
                        writer.WriteObjectIdentifier(CurveOid(algorithm));
                        break;
                }
            }
            writer.WriteBitString(rawPublicKey);
        }
        return writer.Encode();
    }

    /// <summary>Decodes and checks the shape of the key; the caller checks the point itself.</summary>
    /// <exception cref="FormatException">The encoding is malformed or names another algorithm.</exception>
    public static (SigningAlgorithm Algorithm, byte[] RawPublicKey) Decode(ReadOnlyMemory<byte> der) =>
        Der.Read(der, "public key", reader =>
        {
            var spki = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var algorithmIdentifier = spki.ReadSequence();
            var algorithm = ReadAlgorithm(algorithmIdentifier);
            algorithmIdentifier.ThrowIfNotEmpty();
            var key = spki.ReadBitString(out var unusedBits);
            spki.ThrowIfNotEmpty();
            if (unusedBits != 0)
            {
                throw new FormatException("The public key BIT STRING has unused bits.");
            }
            CheckRawLength(algorithm, key);
            return (algorithm, key);
        });

    /// <summary>Checks a raw public key's length and, for EC keys, the uncompressed-point marker.</summary>
    /// <exception cref="FormatException">It has the wrong shape.</exception>
    public static void CheckRawLength(SigningAlgorithm algorithm, ReadOnlySpan<byte> rawPublicKey)
    {
        var ok = algorithm == SigningAlgorithm.Ed25519
            ? rawPublicKey.Length == Ed25519KeyLength
            : rawPublicKey.Length == EcPointLength && rawPublicKey[0] == 0x04;
        if (!ok)
        {
            throw new FormatException(algorithm == SigningAlgorithm.Ed25519
                ? $"An Ed25519 public key is {Ed25519KeyLength} bytes, not {rawPublicKey.Length}."
                : $"An EC public key must be an uncompressed point ({EcPointLength} bytes starting 0x04).");
        }
    }

    public static string CurveOid(SigningAlgorithm algorithm) => algorithm switch
    {
        SigningAlgorithm.Sm2Sm3 => Oids.Sm2Curve,
        SigningAlgorithm.EcdsaP256Sha256 => Oids.P256Curve,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not an EC algorithm."),
    };

    /// <summary>
    /// Reads the algorithm OID and, for EC keys, the named-curve parameter (PKCS#8 shares this
    /// AlgorithmIdentifier). Explicit curve parameters are refused: we only use named curves.
    /// </summary>
    public static SigningAlgorithm ReadAlgorithm(AsnReader algorithmIdentifier)
    {
        var oid = algorithmIdentifier.ReadObjectIdentifier();
        switch (oid)
        {
            case Oids.Ed25519:
                return SigningAlgorithm.Ed25519;
            case Oids.EcPublicKey:
                if (algorithmIdentifier.PeekTag() != Asn1Tag.ObjectIdentifier)
                {
                    throw new FormatException("EC keys must name their curve; explicit curve parameters are not accepted.");
                }
                return algorithmIdentifier.ReadObjectIdentifier() switch
                {
                    Oids.Sm2Curve => SigningAlgorithm.Sm2Sm3,
                    Oids.P256Curve => SigningAlgorithm.EcdsaP256Sha256,
                    var curve => throw new FormatException($"Unsupported EC curve {curve}; expected SM2 or P-256."),
                };
            default:
                throw new FormatException($"Unsupported key algorithm {oid}; expected SM2, P-256 or Ed25519.");
        }
    }
}
