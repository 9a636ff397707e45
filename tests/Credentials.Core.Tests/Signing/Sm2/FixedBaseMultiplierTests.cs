using Credentials.Core.Signing.Sm2;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Credentials.Core.Tests.Signing.Sm2;

public class FixedBaseMultiplierTests
{
    private static readonly ECPoint G = CustomNamedCurves.GetByName("sm2p256v1").G;
    private static readonly FixedBaseMultiplier Multiplier = new(G);

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000010")] // only the second window
    [InlineData("F000000000000000000000000000000000000000000000000000000000000000")] // only the last window
    [InlineData("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122")] // n - 1
    [InlineData("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    [InlineData("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21")]
    public void Multiply_Scalar_MatchesReference(string hex)
    {
        var k = Convert.FromHexString(hex);

        var expected = ECAlgorithms.ReferenceMultiply(G, new BigInteger(1, k)).Normalize();

        Assert.Equal(expected, Multiplier.Multiply(k).Normalize());
    }

    [Fact]
    public void Multiply_Zero_IsInfinity()
    {
        Assert.True(Multiplier.Multiply(new byte[32]).IsInfinity);
    }
}
