using Credentials.Core.Signing.Sm2;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Credentials.Core.Tests.Signing.Sm2;

public class PrecomputedPointTests
{
    private static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("sm2p256v1");
    private static readonly BigInteger Max = BigInteger.One.ShiftLeft(256).Subtract(BigInteger.One);

    public static TheoryData<string, string> Scalars => new()
    {
        { "0", "0" },
        { "1", "0" },
        { "0", "1" },
        { "1", "1" },
        { Curve.N.Subtract(BigInteger.One).ToString(16), Curve.N.Subtract(BigInteger.Two).ToString(16) },
        { Max.ToString(16), Max.ToString(16) },                           // a 257-digit NAF
        { "100000000", "FFFFFFFF" },                                      // chunk boundaries
        { "5555555555555555555555555555555555555555555555555555555555555555", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void SumOfTwoMultiplies_EdgeScalars_MatchesBouncyCastle(string aHex, string bHex)
    {
        AssertMatchesReference(new BigInteger(aHex, 16), new BigInteger(bHex, 16));
    }

    [Fact]
    public void SumOfTwoMultiplies_RandomScalars_MatchesBouncyCastle()
    {
        var random = new Random(20240101);
        for (var i = 0; i < 50; i++)
        {
            AssertMatchesReference(RandomScalar(random), RandomScalar(random));
        }
    }

    private static void AssertMatchesReference(BigInteger a, BigInteger b)
    {
        var q = Curve.G.Multiply(BigInteger.ValueOf(7)).Normalize();
        var tableG = new PrecomputedPoint(Curve.G, PrecomputedPoint.BaseWidth);
        var tableQ = new PrecomputedPoint(q, PrecomputedPoint.KeyWidth);

        var expected = ECAlgorithms.ReferenceMultiply(Curve.G, a).Add(ECAlgorithms.ReferenceMultiply(q, b)).Normalize();
        var actual = PrecomputedPoint.SumOfTwoMultiplies(tableG, a, tableQ, b).Normalize();

        Assert.Equal(expected, actual);
    }

    private static BigInteger RandomScalar(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new BigInteger(1, bytes);
    }
}
