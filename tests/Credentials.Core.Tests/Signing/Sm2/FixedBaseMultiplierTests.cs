using System.Numerics;
using Credentials.Core.Signing.Sm2;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Credentials.Core.Tests.Signing.Sm2;

public class FixedBaseMultiplierTests
{
    private static readonly ECPoint G = CustomNamedCurves.GetByName("sm2p256v1").G;
    private static readonly BigInteger N = MontgomeryTests.ToBig(Sm2GroupOrder.Value);
    private static readonly FixedBaseMultiplier Multiplier = new(G);

    public static TheoryData<string> EdgeScalars =>
    [
        "0000000000000000000000000000000000000000000000000000000000000001",
        "0000000000000000000000000000000000000000000000000000000000000002", // even: multiplies n - 2 and negates
        "0000000000000000000000000000000000000000000000000000000000000003",
        "0000000000000000000000000000000000000000000000000000000000000010", // 16: zero windows below and above
        "0000000000000000000000000000000000000000000000000000000000000040", // a single bit at a window boundary
        "0000000000000000000000000000000000000000000000000000000000000041",
        "8000000000000000000000000000000000000000000000000000000000000000", // 2^255
        "8000000000000000000000000000000000000000000000000000000000000001",
        "F000000000000000000000000000000000000000000000000000000000000001", // only the top window and the first
        "0000000000000000FFFFFFFFFFFFFFFF00000000000000000000000000000001", // whole zero limbs
        "5555555555555555555555555555555555555555555555555555555555555555",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB",
        "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122", // n - 1 (even)
        "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121", // n - 2 (odd)
        "7FFFFFFF7FFFFFFFFFFFFFFFFFFFFFFFB901EFB590E30295A9DDFA049CEAA091", // (n - 1) / 2
        "59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21", // GB/T 32918's k
    ];

    [Theory]
    [MemberData(nameof(EdgeScalars))]
    public void Multiply_EdgeScalar_MatchesReference(string hex)
    {
        AssertMatchesReference(Convert.FromHexString(hex));
    }

    [Fact]
    public void Multiply_RandomScalars_MatchesReference()
    {
        var random = new Random(20240101);
        var k = new byte[32];
        for (var i = 0; i < 100; i++)
        {
            random.NextBytes(k);
            k[0] &= 0x7F; // below n
            AssertMatchesReference(k);
        }
    }

    [Fact]
    public void Multiply_ScalarsWithZeroWindowsEverywhere_MatchesReference()
    {
        // One non-zero window at each position, the rest zero.
        for (var window = 0; window < FixedBaseMultiplier.Windows; window++)
        {
            var k = BigInteger.One << (window * FixedBaseMultiplier.WindowBits);
            AssertMatchesReference(ToBytes(k));
            AssertMatchesReference(ToBytes(k + 1));
        }
    }

    [Theory]
    [MemberData(nameof(EdgeScalars))]
    public void Digit_EdgeScalar_IsOddNonZeroInRangeAndSumsToScalar(string hex)
    {
        AssertRegularRecoding(Odd(new BigInteger(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true)));
    }

    [Fact]
    public void Digit_RandomAndExtremeOddScalars_IsOddNonZeroInRangeAndSumsToScalar()
    {
        var random = new Random(7);
        var bytes = new byte[32];
        for (var i = 0; i < 1000; i++)
        {
            random.NextBytes(bytes);
            AssertRegularRecoding(Odd(new BigInteger(bytes, isUnsigned: true, isBigEndian: true) % N));
        }
        // Beyond n too: the recoding itself holds for every odd 256-bit value.
        AssertRegularRecoding((BigInteger.One << 256) - 1);
        AssertRegularRecoding(BigInteger.One);
    }

    private static void AssertRegularRecoding(BigInteger oddScalar)
    {
        var scalar = MontgomeryTests.FromBig(oddScalar);
        var sum = BigInteger.Zero;
        for (var window = 0; window < FixedBaseMultiplier.Windows; window++)
        {
            var digit = FixedBaseMultiplier.Digit(scalar, window);

            // The case that would need a branch or an identity entry: a zero digit. Never.
            Assert.True(digit % 2 != 0, $"digit {window} of {oddScalar:X} is {digit}");
            Assert.InRange(Math.Abs(digit), 1, 2 * FixedBaseMultiplier.EntriesPerWindow - 1);
            sum += (BigInteger)digit << (window * FixedBaseMultiplier.WindowBits);
        }
        Assert.True(FixedBaseMultiplier.Digit(scalar, FixedBaseMultiplier.Windows - 1) > 0);
        Assert.Equal(oddScalar, sum);
    }

    private static BigInteger Odd(BigInteger k) => k.IsEven ? N - k : k;

    private static void AssertMatchesReference(byte[] k)
    {
        var expected = ECAlgorithms.ReferenceMultiply(G, new BcBigInteger(1, k)).Normalize();
        Span<byte> x = stackalloc byte[32];
        Span<byte> y = stackalloc byte[32];

        Multiplier.Multiply(k).ToAffine(x, y);

        Assert.Equal(expected.AffineXCoord.GetEncoded(), x.ToArray());
        Assert.Equal(expected.AffineYCoord.GetEncoded(), y.ToArray());
    }

    private static byte[] ToBytes(BigInteger k)
    {
        var bytes = new byte[32];
        k.TryWriteBytes(bytes.AsSpan(32 - k.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }
}
