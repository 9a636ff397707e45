using Credentials.Core.Signing.Sm2;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Fp = Credentials.Core.Signing.Sm2.Montgomery<Credentials.Core.Signing.Sm2.Sm2FieldPrime>;

namespace Credentials.Core.Tests.Signing.Sm2;

/// <summary>The complete mixed addition in the cases Jacobian formulas must branch on, against BouncyCastle.</summary>
public class ProjectivePointTests
{
    private static readonly ECPoint G = CustomNamedCurves.GetByName("sm2p256v1").G;

    [Fact]
    public void AddMixed_IdentityPlusQ_IsQ()
    {
        var q = Multiple(5);

        AssertEqual(q, ProjectivePoint.AddMixed(ProjectivePoint.Identity, ToAffine(q)));
    }

    [Fact]
    public void AddMixed_QPlusQ_IsTwiceQ()
    {
        var q = Multiple(12345);

        AssertEqual(q.Twice(), ProjectivePoint.AddMixed(ToProjective(q), ToAffine(q)));
    }

    [Fact]
    public void AddMixed_QPlusMinusQ_IsIdentity()
    {
        var q = Multiple(777);

        var sum = ProjectivePoint.AddMixed(ToProjective(q.Negate()), ToAffine(q));

        Assert.Equal(ulong.MaxValue, UInt256.IsZeroMask(sum.Z));
        Assert.Equal(0UL, UInt256.IsZeroMask(sum.Y));
    }

    [Fact]
    public void AddMixed_ProjectiveInputWithZNotOne_MatchesBouncyCastle()
    {
        var random = new Random(11);
        for (var i = 0; i < 20; i++)
        {
            var p = Multiple(random.Next(1, int.MaxValue));
            var q = Multiple(random.Next(1, int.MaxValue));
            // Scale p's coordinates by a random λ: the same point with Z = λ.
            var lambda = Fp.ToMontgomery(new UInt256((ulong)random.NextInt64(), (ulong)random.NextInt64(), 3, 0));
            var scaled = ToProjective(p);
            scaled.X = Fp.Multiply(scaled.X, lambda);
            scaled.Y = Fp.Multiply(scaled.Y, lambda);
            scaled.Z = lambda;

            AssertEqual(p.Add(q), ProjectivePoint.AddMixed(scaled, ToAffine(q)));
        }
    }

    [Fact]
    public void ConditionalNegate_Mask_NegatesOnlyWhenSet()
    {
        var q = ToProjective(Multiple(9));
        var negated = q;
        var unchanged = q;

        ProjectivePoint.ConditionalNegate(ref negated.Y, ulong.MaxValue);
        ProjectivePoint.ConditionalNegate(ref unchanged.Y, 0);

        AssertEqual(Multiple(9).Negate(), negated);
        AssertEqual(Multiple(9), unchanged);
    }

    private static ECPoint Multiple(long k) => G.Multiply(BigInteger.ValueOf(k)).Normalize();

    private static AffinePoint ToAffine(ECPoint p) => new()
    {
        X = Fp.ToMontgomery(UInt256.FromBigEndian(p.AffineXCoord.GetEncoded())),
        Y = Fp.ToMontgomery(UInt256.FromBigEndian(p.AffineYCoord.GetEncoded())),
    };

    private static ProjectivePoint ToProjective(ECPoint p)
    {
        var affine = ToAffine(p);
        return new ProjectivePoint { X = affine.X, Y = affine.Y, Z = Fp.One };
    }

    private static void AssertEqual(ECPoint expected, ProjectivePoint actual)
    {
        expected = expected.Normalize();
        Span<byte> x = stackalloc byte[32];
        Span<byte> y = stackalloc byte[32];
        actual.ToAffine(x, y);
        Assert.Equal(expected.AffineXCoord.GetEncoded(), x.ToArray());
        Assert.Equal(expected.AffineYCoord.GetEncoded(), y.ToArray());
    }
}
