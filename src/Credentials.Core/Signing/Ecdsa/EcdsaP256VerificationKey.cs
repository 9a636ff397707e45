using System.Security.Cryptography;
using Credentials.Core.Signing.Asn1;

namespace Credentials.Core.Signing.Ecdsa;

/// <summary>ECDSA P-256/SHA-256 verification through .NET (OpenSSL underneath).</summary>
internal sealed class EcdsaP256VerificationKey : VerificationKey
{
    private const int CoordinateLength = 32;

    /// <summary>The group order n of P-256, big-endian.</summary>
    private static readonly byte[] Order = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

    private readonly ECDsa _key;

    public EcdsaP256VerificationKey(byte[] raw)
        : base(SigningAlgorithm.EcdsaP256Sha256, raw)
    {
        try
        {
            // Import checks that the point is on the curve.
            _key = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint
                {
                    X = raw.AsSpan(1, CoordinateLength).ToArray(),
                    Y = raw.AsSpan(1 + CoordinateLength, CoordinateLength).ToArray(),
                },
            });
        }
        catch (CryptographicException e)
        {
            throw new FormatException("The P-256 public key is not a point on the curve.", e);
        }
    }

    /// <summary>The uncompressed point of a .NET key.</summary>
    public static byte[] EncodePoint(ECDsa key)
    {
        var q = key.ExportParameters(includePrivateParameters: false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }

    public override bool IsWellFormedSignature(ReadOnlySpan<byte> signature) =>
        DerSignature.TryDecode(signature, Order, stackalloc byte[CoordinateLength], stackalloc byte[CoordinateLength]);

    private protected override bool VerifyWellFormed(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
}
