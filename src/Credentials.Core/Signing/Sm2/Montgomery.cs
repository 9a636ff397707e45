using System.Runtime.CompilerServices;

namespace Credentials.Core.Signing.Sm2;

/// <summary>An odd 256-bit modulus m with 2^255 &lt; m &lt; 2^256, and its Montgomery constants (R = 2^256).</summary>
internal interface IModulus256
{
    static abstract UInt256 Value { get; }

    /// <summary>-m^-1 mod 2^64.</summary>
    static abstract ulong NegativeInverse { get; }

    /// <summary>R² mod m, to convert into Montgomery form.</summary>
    static abstract UInt256 RSquared { get; }
}

/// <summary>
/// Constant-time arithmetic modulo <typeparamref name="TModulus"/>: Montgomery multiplication
/// (CIOS, four 64-bit limbs) and modular addition and subtraction with masked corrections.
/// Inputs and outputs are below m. We write this ourselves because BouncyCastle 2.7 keeps
/// its fixed-width Nat/Mod routines internal, its public BigInteger and ECFieldElement
/// arithmetic branches on values (final subtractions, normalisation), and
/// System.Numerics.BigInteger is variable-time by design. A struct type argument makes the
/// JIT compile one copy per modulus with its constants folded in.
/// </summary>
internal static class Montgomery<TModulus>
    where TModulus : struct, IModulus256
{
    /// <summary>R mod m: 1 in Montgomery form.</summary>
    public static readonly UInt256 One = ToMontgomery(UInt256.One);

    /// <summary>a·b·R^-1 mod m. With one factor in Montgomery form (x·R) and the other plain, the result is plain.</summary>
    public static UInt256 Multiply(in UInt256 a, in UInt256 b)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
        MultiplyStep(a, b.L0, ref t0, ref t1, ref t2, ref t3, ref t4);
        MultiplyStep(a, b.L1, ref t0, ref t1, ref t2, ref t3, ref t4);
        MultiplyStep(a, b.L2, ref t0, ref t1, ref t2, ref t3, ref t4);
        MultiplyStep(a, b.L3, ref t0, ref t1, ref t2, ref t3, ref t4);
        // t < 2m: one masked subtraction of m brings it below m.
        return SubtractModulusIfAtLeast(new UInt256(t0, t1, t2, t3), t4);
    }

    public static UInt256 Square(in UInt256 a) => Multiply(a, a);

    /// <summary>a + b mod m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Add(in UInt256 a, in UInt256 b)
    {
        var sum = UInt256.Add(a, b, out var carry);
        return SubtractModulusIfAtLeast(sum, carry);
    }

    /// <summary>a - b mod m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Subtract(in UInt256 a, in UInt256 b)
    {
        var difference = UInt256.Subtract(a, b, out var borrow);
        var modulus = TModulus.Value;
        var mask = 0 - borrow;
        var correction = new UInt256(modulus.L0 & mask, modulus.L1 & mask, modulus.L2 & mask, modulus.L3 & mask);
        return UInt256.Add(difference, correction, out _);
    }

    /// <summary>-a mod m.</summary>
    public static UInt256 Negate(in UInt256 a) => Subtract(UInt256.Zero, a);

    /// <summary>x·R mod m for any x &lt; 2^256.</summary>
    public static UInt256 ToMontgomery(in UInt256 x) => Multiply(x, TModulus.RSquared);

    /// <summary>x·R^-1 mod m: out of Montgomery form.</summary>
    public static UInt256 FromMontgomery(in UInt256 x) => Multiply(x, UInt256.One);

    /// <summary>x mod m for any x &lt; 2^256 (less than 2m, since m &gt; 2^255).</summary>
    public static UInt256 Reduce(in UInt256 x) => SubtractModulusIfAtLeast(x, 0);

    /// <summary>
    /// x^e in Montgomery form, for a public exponent e: the sequence of squarings and
    /// multiplications depends on e only (4-bit fixed windows), the table lookups and the
    /// arithmetic not at all on x.
    /// </summary>
    public static UInt256 Power(in UInt256 x, in UInt256 exponent)
    {
        Span<UInt256> powers = stackalloc UInt256[16];
        powers[0] = One;
        powers[1] = x;
        for (var i = 2; i < powers.Length; i++)
        {
            powers[i] = Multiply(powers[i - 1], x);
        }
        var result = One;
        for (var nibble = 63; nibble >= 0; nibble--)
        {
            result = Square(Square(Square(Square(result))));
            var digit = (int)(Limb(exponent, nibble / 16) >> (nibble % 16 * 4)) & 0xF;
            if (digit != 0)
            {
                // Branches on the public exponent only.
                result = Multiply(result, powers[digit]);
            }
        }
        powers.Clear();
        return result;
    }

    /// <summary>One CIOS row: t = (t + a·word + u·m) / 2^64 with u chosen so the division is exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyStep(in UInt256 a, ulong word, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4)
    {
        var carry = UInt256.MultiplyAdd(a.L0, word, t0, 0, out t0);
        carry = UInt256.MultiplyAdd(a.L1, word, t1, carry, out t1);
        carry = UInt256.MultiplyAdd(a.L2, word, t2, carry, out t2);
        carry = UInt256.MultiplyAdd(a.L3, word, t3, carry, out t3);
        t4 = UInt256.AddWithCarry(t4, carry, 0, out var t5);

        var modulus = TModulus.Value;
        var u = t0 * TModulus.NegativeInverse;
        carry = UInt256.MultiplyAdd(u, modulus.L0, t0, 0, out _);
        carry = UInt256.MultiplyAdd(u, modulus.L1, t1, carry, out t0);
        carry = UInt256.MultiplyAdd(u, modulus.L2, t2, carry, out t1);
        carry = UInt256.MultiplyAdd(u, modulus.L3, t3, carry, out t2);
        t3 = UInt256.AddWithCarry(t4, carry, 0, out var c);
        t4 = t5 + c;
    }

    /// <summary>For high·2^256 + x &lt; 2m (high 0 or 1): that value mod m, by a masked subtraction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 SubtractModulusIfAtLeast(in UInt256 x, ulong high)
    {
        var reduced = UInt256.Subtract(x, TModulus.Value, out var borrow);
        // high - borrow is 0 when the value is at least m and wraps to all ones when it is below.
        var keep = high - borrow;
        return UInt256.Select(keep, x, reduced);
    }

    private static ulong Limb(in UInt256 x, int index) => index switch
    {
        0 => x.L0,
        1 => x.L1,
        2 => x.L2,
        _ => x.L3,
    };
}
