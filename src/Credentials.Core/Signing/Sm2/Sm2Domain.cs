using System.Text;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Credentials.Core.Signing.Sm2;

/// <summary>
/// The SM2 recommended curve (GB/T 32918.5, "sm2p256v1") and the pieces of GB/T 32918.2 that
/// do not depend on a key. The curve comes from CustomNamedCurves, whose field arithmetic is
/// specialised for this prime (GMNamedCurves' generic arithmetic is about 6x slower).
/// </summary>
internal static class Sm2Domain
{
    /// <summary>The default distinguishing identifier (用户身份标识) of GB/T 35276 and OpenSSL's distid.</summary>
    public const string DefaultUserId = "1234567812345678";

    public const int ScalarLength = 32;

    private static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("sm2p256v1");

    public static ECCurve Curve => Parameters.Curve;

    public static ECPoint G => Parameters.G;

    public static BigInteger N => Parameters.N;

    /// <summary>The order n, big-endian, for range checks on raw bytes.</summary>
    public static readonly byte[] Order = Parameters.N.ToByteArrayUnsigned();

    /// <summary>k·G with secret k, for signing and key generation.</summary>
    public static readonly FixedBaseMultiplier BaseMultiplier = new(Parameters.G);

    /// <summary>Tables of G for verification's s·G (public s, variable time is fine).</summary>
    public static readonly PrecomputedPoint BaseTable = new(Parameters.G, PrecomputedPoint.BaseWidth);

    private static readonly byte[] UserIdPrefix = ComputeUserIdPrefix();

    /// <summary>
    /// Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A), the hash of the signer's
    /// identity that each message digest starts with. Computed once per key.
    /// </summary>
    public static byte[] ComputeZ(ECPoint publicKey)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(UserIdPrefix, 0, UserIdPrefix.Length);
        var x = publicKey.AffineXCoord.GetEncoded();
        var y = publicKey.AffineYCoord.GetEncoded();
        digest.BlockUpdate(x, 0, x.Length);
        digest.BlockUpdate(y, 0, y.Length);
        var z = new byte[digest.GetDigestSize()];
        digest.DoFinal(z, 0);
        return z;
    }

    /// <summary>e = SM3(Z_A || M) into 32 bytes.</summary>
    public static void Digest(byte[] z, ReadOnlySpan<byte> message, Span<byte> e)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(z);
        digest.BlockUpdate(message);
        digest.DoFinal(e);
    }

    /// <summary>
    /// Decodes an uncompressed point and checks that it is on the curve and not the identity
    /// (the cofactor is 1, so that also puts it in the group of order n).
    /// </summary>
    /// <exception cref="FormatException">Not a valid point.</exception>
    public static ECPoint DecodePoint(ReadOnlySpan<byte> uncompressed)
    {
        var x = new BigInteger(1, uncompressed.Slice(1, ScalarLength).ToArray());
        var y = new BigInteger(1, uncompressed.Slice(1 + ScalarLength, ScalarLength).ToArray());
        var p = Curve.Field.Characteristic;
        if (x.CompareTo(p) >= 0 || y.CompareTo(p) >= 0)
        {
            throw new FormatException("The SM2 public key's coordinates are not field elements.");
        }
        var point = Curve.CreatePoint(x, y);
        if (point.IsInfinity || !point.IsValid())
        {
            throw new FormatException("The SM2 public key is not a point on the curve.");
        }
        return point;
    }

    // ENTL_A || ID_A || a || b || x_G || y_G: the part of Z_A every key shares.
    private static byte[] ComputeUserIdPrefix()
    {
        var id = Encoding.ASCII.GetBytes(DefaultUserId);
        var bits = id.Length * 8;
        var prefix = new List<byte> { (byte)(bits >> 8), (byte)bits };
        prefix.AddRange(id);
        prefix.AddRange(Curve.A.GetEncoded());
        prefix.AddRange(Curve.B.GetEncoded());
        prefix.AddRange(G.AffineXCoord.GetEncoded());
        prefix.AddRange(G.AffineYCoord.GetEncoded());
        return [.. prefix];
    }
}
