using System.Numerics;
using Credentials.Core.Signing.Sm2;
using Fn = Credentials.Core.Signing.Sm2.Montgomery<Credentials.Core.Signing.Sm2.Sm2GroupOrder>;
using Fp = Credentials.Core.Signing.Sm2.Montgomery<Credentials.Core.Signing.Sm2.Sm2FieldPrime>;

namespace Credentials.Core.Tests.Signing.Sm2;

/// <summary>The constant-time arithmetic mod p and mod n against System.Numerics.BigInteger.</summary>
public class MontgomeryTests
{
    private static readonly BigInteger P = BigInteger.Parse("0FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF", System.Globalization.NumberStyles.HexNumber);
    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", System.Globalization.NumberStyles.HexNumber);
    private static readonly BigInteger R = BigInteger.One << 256;

    public static TheoryData<string> Moduli => ["p", "n"];

    [Theory]
    [MemberData(nameof(Moduli))]
    public void Constants_MatchTheirDefinitions(string modulus)
    {
        var (m, value, negativeInverse, rSquared) = modulus == "p"
            ? (P, Sm2FieldPrime.Value, Sm2FieldPrime.NegativeInverse, Sm2FieldPrime.RSquared)
            : (N, Sm2GroupOrder.Value, Sm2GroupOrder.NegativeInverse, Sm2GroupOrder.RSquared);

        Assert.Equal(m, ToBig(value));
        Assert.Equal(BigInteger.Zero, (m * negativeInverse + 1) % (BigInteger.One << 64));
        Assert.Equal(R * R % m, ToBig(rSquared));
    }

    [Theory]
    [MemberData(nameof(Moduli))]
    public void Arithmetic_EdgeAndRandomInputs_MatchesBigInteger(string modulus)
    {
        var m = modulus == "p" ? P : N;
        var inputs = EdgeValues(m).Concat(RandomValues(m, 60, seed: modulus == "p" ? 1 : 2)).ToList();
        foreach (var a in inputs)
        {
            foreach (var b in inputs)
            {
                Assert.Equal((a * b) % m, ToBig(MultiplyPlain(modulus, FromBig(a), FromBig(b))));
                Assert.Equal((a + b) % m, ToBig(Add(modulus, FromBig(a), FromBig(b))));
                Assert.Equal(((a - b) % m + m) % m, ToBig(Subtract(modulus, FromBig(a), FromBig(b))));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Moduli))]
    public void ToMontgomery_ValuesAtOrAboveModulus_ReducesThem(string modulus)
    {
        // Montgomery conversion and Reduce accept any 256-bit value, not only those below m.
        var m = modulus == "p" ? P : N;
        foreach (var x in new[] { m, m + 1, R - 1, R - 2, m + (R - m) / 2 })
        {
            var montgomery = modulus == "p" ? Fp.ToMontgomery(FromBig(x)) : Fn.ToMontgomery(FromBig(x));
            var reduced = modulus == "p" ? Fp.Reduce(FromBig(x)) : Fn.Reduce(FromBig(x));

            Assert.Equal(x * R % m, ToBig(montgomery));
            Assert.Equal(x % m, ToBig(reduced));
        }
    }

    [Theory]
    [MemberData(nameof(Moduli))]
    public void Negate_EdgeValues_MatchesBigInteger(string modulus)
    {
        var m = modulus == "p" ? P : N;
        foreach (var a in EdgeValues(m))
        {
            var negated = modulus == "p" ? Fp.Negate(FromBig(a)) : Fn.Negate(FromBig(a));

            Assert.Equal((m - a) % m, ToBig(negated));
        }
    }

    [Fact]
    public void Power_OrderMinusTwo_IsTheInverseModN()
    {
        foreach (var a in EdgeValues(N).Where(v => !v.IsZero).Concat(RandomValues(N, 20, seed: 3)))
        {
            var inverse = Fn.FromMontgomery(Fn.Power(Fn.ToMontgomery(FromBig(a)), FromBig(N - 2)));

            Assert.Equal(BigInteger.ModPow(a, N - 2, N), ToBig(inverse));
            Assert.Equal(BigInteger.One, a * ToBig(inverse) % N);
        }
    }

    [Fact]
    public void Power_ExponentWithZeroNibbles_MatchesModPow()
    {
        var x = RandomValues(N, 1, seed: 4).Single();
        foreach (var e in new[] { BigInteger.Zero, BigInteger.One, new BigInteger(16), BigInteger.One << 255, N - 1 })
        {
            var power = Fn.FromMontgomery(Fn.Power(Fn.ToMontgomery(FromBig(x)), FromBig(e)));

            Assert.Equal(BigInteger.ModPow(x, e, N), ToBig(power));
        }
    }

    [Fact]
    public void Invert_FieldElements_MatchesFermat()
    {
        foreach (var a in EdgeValues(P).Concat(RandomValues(P, 20, seed: 5)))
        {
            var inverse = Fp.FromMontgomery(Sm2Field.Invert(Fp.ToMontgomery(FromBig(a))));

            Assert.Equal(BigInteger.ModPow(a, P - 2, P), ToBig(inverse));
        }
    }

    [Fact]
    public void CarryAndBorrow_AllTopBitCombinations_AreExact()
    {
        ulong[] values = [0, 1, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0xFFFFFFFFFFFFFFFE, ulong.MaxValue];
        foreach (var x in values)
        {
            foreach (var y in values)
            {
                foreach (var c in new ulong[] { 0, 1 })
                {
                    var sum = UInt256.AddWithCarry(x, y, c, out var carry);
                    var difference = UInt256.SubtractWithBorrow(x, y, c, out var borrow);

                    Assert.Equal((UInt128)x + y + c, ((UInt128)carry << 64) | sum);
                    Assert.Equal(((BigInteger)x - y - c) < 0 ? 1UL : 0UL, borrow);
                    Assert.Equal(unchecked(x - y - c), difference);
                }
            }
        }
    }

    [Fact]
    public void Masks_EdgeValues_AreAllOnesOrZero()
    {
        Assert.Equal(ulong.MaxValue, UInt256.IsZeroMask(0));
        Assert.Equal(0UL, UInt256.IsZeroMask(1));
        Assert.Equal(0UL, UInt256.IsZeroMask(0x8000000000000000));
        Assert.Equal(0UL, UInt256.IsZeroMask(ulong.MaxValue));
        Assert.Equal(ulong.MaxValue, UInt256.LessThanMask(FromBig(N - 1), FromBig(N)));
        Assert.Equal(0UL, UInt256.LessThanMask(FromBig(N), FromBig(N)));
        Assert.Equal(0UL, UInt256.LessThanMask(FromBig(R - 1), FromBig(N)));
        Assert.Equal(ulong.MaxValue, UInt256.EqualMask(FromBig(N), FromBig(N)));
        Assert.Equal(0UL, UInt256.EqualMask(FromBig(N), FromBig(N - 1)));
    }

    internal static BigInteger ToBig(UInt256 x) =>
        ((BigInteger)x.L3 << 192) | ((BigInteger)x.L2 << 128) | ((BigInteger)x.L1 << 64) | x.L0;

    internal static UInt256 FromBig(BigInteger x)
    {
        var mask = ulong.MaxValue;
        return new UInt256((ulong)(x & mask), (ulong)((x >> 64) & mask), (ulong)((x >> 128) & mask), (ulong)((x >> 192) & mask));
    }

    /// <summary>0, 1, 2, m-1, m-2, values around limb boundaries and 2^255, all below m.</summary>
    private static IEnumerable<BigInteger> EdgeValues(BigInteger m) =>
    [
        BigInteger.Zero, BigInteger.One, 2, m - 1, m - 2, m / 2, (BigInteger.One << 64) - 1, BigInteger.One << 64,
        (BigInteger.One << 128) + 1, (BigInteger.One << 255) - 1, BigInteger.One << 255, ulong.MaxValue * (BigInteger)ulong.MaxValue,
    ];

    private static IEnumerable<BigInteger> RandomValues(BigInteger m, int count, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[33];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            bytes[^1] = 0;
            yield return new BigInteger(bytes) % m;
        }
    }

    // a·b via Montgomery: (a·R)·b·R^-1 = a·b, the way signing multiplies a plain by a Montgomery factor.
    private static UInt256 MultiplyPlain(string modulus, UInt256 a, UInt256 b) => modulus == "p"
        ? Fp.Multiply(Fp.ToMontgomery(a), b)
        : Fn.Multiply(Fn.ToMontgomery(a), b);

    private static UInt256 Add(string modulus, UInt256 a, UInt256 b) => modulus == "p" ? Fp.Add(a, b) : Fn.Add(a, b);

    private static UInt256 Subtract(string modulus, UInt256 a, UInt256 b) => modulus == "p" ? Fp.Subtract(a, b) : Fn.Subtract(a, b);
}
