using Fp = Credentials.Core.Signing.Sm2.Montgomery<Credentials.Core.Signing.Sm2.Sm2FieldPrime>;

namespace Credentials.Core.Signing.Sm2;

/// <summary>An affine point (x, y) of sm2p256v1 with coordinates in Montgomery form; never the identity.</summary>
internal struct AffinePoint
{
    public UInt256 X;
    public UInt256 Y;
}

/// <summary>
/// A point of sm2p256v1 in homogeneous projective coordinates (X : Y : Z), x = X/Z, y = Y/Z,
/// the identity being (0 : 1 : 0); coordinates in Montgomery form. Its addition uses the
/// complete formulas of Renes, Costello and Batina (2016, "Complete addition formulas for
/// prime order elliptic curves", Algorithm 5 for a = -3): on a curve of prime order they give
/// the right sum for every pair of inputs, the identity and doubling included, with the same
/// field operations every time. BouncyCastle's Jacobian addition instead branches on the
/// identity and on equal points, and its field arithmetic on carries; neither may see a secret.
/// </summary>
internal struct ProjectivePoint
{
    public UInt256 X;
    public UInt256 Y;
    public UInt256 Z;

    public static ProjectivePoint Identity => new() { X = UInt256.Zero, Y = Fp.One, Z = UInt256.Zero };

    /// <summary>p + q for any p and an affine q (which cannot be the identity): 13 multiplications, 23 additions or subtractions.</summary>
    public static ProjectivePoint AddMixed(in ProjectivePoint p, in AffinePoint q)
    {
        var b = Sm2Field.B;
        var t0 = Fp.Multiply(p.X, q.X);
        var t1 = Fp.Multiply(p.Y, q.Y);
        // X1·Y2 + X2·Y1, from one product.
        var t3 = Fp.Subtract(Fp.Multiply(Fp.Add(q.X, q.Y), Fp.Add(p.X, p.Y)), Fp.Add(t0, t1));
        var t4 = Fp.Add(Fp.Multiply(q.Y, p.Z), p.Y);
        var y3 = Fp.Add(Fp.Multiply(q.X, p.Z), p.X);
        var z3 = Fp.Multiply(b, p.Z);
        var x3 = Fp.Subtract(y3, z3);
        x3 = Fp.Add(Fp.Add(x3, x3), x3);
        z3 = Fp.Subtract(t1, x3);
        x3 = Fp.Add(t1, x3);
        y3 = Fp.Multiply(b, y3);
        var t2 = Fp.Add(Fp.Add(p.Z, p.Z), p.Z);
        y3 = Fp.Subtract(Fp.Subtract(y3, t2), t0);
        y3 = Fp.Add(Fp.Add(y3, y3), y3);
        t0 = Fp.Subtract(Fp.Add(Fp.Add(t0, t0), t0), t2);

        ProjectivePoint r;
        r.X = Fp.Subtract(Fp.Multiply(t3, x3), Fp.Multiply(t4, y3));
        r.Y = Fp.Add(Fp.Multiply(x3, z3), Fp.Multiply(t0, y3));
        r.Z = Fp.Add(Fp.Multiply(t4, z3), Fp.Multiply(t3, t0));
        return r;
    }

    /// <summary>Negates y where <paramref name="mask"/> is all ones; leaves it where zero.</summary>
    public static void ConditionalNegate(ref UInt256 y, ulong mask) => y = UInt256.Select(mask, Fp.Negate(y), y);

    /// <summary>
    /// The affine coordinates, out of Montgomery form, as 32-byte big-endian integers below p.
    /// One constant-time inversion; the identity (Z = 0) has none and throws, a branch on a
    /// value that no scalar in [1, n-1] can produce.
    /// </summary>
    public readonly void ToAffine(Span<byte> x, Span<byte> y)
    {
        if (UInt256.IsZeroMask(Z) != 0)
        {
            throw new InvalidOperationException("The point at infinity has no affine coordinates.");
        }
        var inverse = Sm2Field.Invert(Z);
        Fp.FromMontgomery(Fp.Multiply(X, inverse)).WriteBigEndian(x);
        if (!y.IsEmpty)
        {
            Fp.FromMontgomery(Fp.Multiply(Y, inverse)).WriteBigEndian(y);
        }
    }
}
