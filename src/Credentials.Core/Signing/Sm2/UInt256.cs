using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Credentials.Core.Signing.Sm2;

/// <summary>
/// A 256-bit unsigned integer as four 64-bit limbs, least significant first, with the
/// constant-time primitives the signing path is built from: every operation here runs the
/// same instructions and touches the same memory whatever the values, and its results that
/// are flags (carries, borrows, comparisons) are 0/1 values or all-zero/all-one masks, never
/// branches. Comparisons are produced as values (<c>setb</c>), not jumps: checked in the JIT's
/// disassembly (docs/SECURITY.md, "How the constant-time claim is checked").
/// </summary>
internal struct UInt256 : IEquatable<UInt256>
{
    public ulong L0;
    public ulong L1;
    public ulong L2;
    public ulong L3;

    public UInt256(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    public static UInt256 Zero => default;

    public static UInt256 One => new(1, 0, 0, 0);

    /// <summary>From 32 big-endian bytes.</summary>
    public static UInt256 FromBigEndian(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes));

    /// <summary>To 32 big-endian bytes.</summary>
    public readonly void WriteBigEndian(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, L3);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], L2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], L1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], L0);
    }

    /// <summary>a + b mod 2^256; <paramref name="carry"/> is the carry out (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Add(in UInt256 a, in UInt256 b, out ulong carry)
    {
        UInt256 r;
        r.L0 = AddWithCarry(a.L0, b.L0, 0, out carry);
        r.L1 = AddWithCarry(a.L1, b.L1, carry, out carry);
        r.L2 = AddWithCarry(a.L2, b.L2, carry, out carry);
        r.L3 = AddWithCarry(a.L3, b.L3, carry, out carry);
        return r;
    }

    /// <summary>a - b mod 2^256; <paramref name="borrow"/> is the borrow out (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Subtract(in UInt256 a, in UInt256 b, out ulong borrow)
    {
        UInt256 r;
        r.L0 = SubtractWithBorrow(a.L0, b.L0, 0, out borrow);
        r.L1 = SubtractWithBorrow(a.L1, b.L1, borrow, out borrow);
        r.L2 = SubtractWithBorrow(a.L2, b.L2, borrow, out borrow);
        r.L3 = SubtractWithBorrow(a.L3, b.L3, borrow, out borrow);
        return r;
    }

    /// <summary><paramref name="ifOnes"/> where <paramref name="mask"/> is all ones, <paramref name="ifZero"/> where it is zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static UInt256 Select(ulong mask, in UInt256 ifOnes, in UInt256 ifZero) => new(
        ifZero.L0 ^ (mask & (ifZero.L0 ^ ifOnes.L0)),
        ifZero.L1 ^ (mask & (ifZero.L1 ^ ifOnes.L1)),
        ifZero.L2 ^ (mask & (ifZero.L2 ^ ifOnes.L2)),
        ifZero.L3 ^ (mask & (ifZero.L3 ^ ifOnes.L3)));

    /// <summary>All ones if a = 0, else zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong IsZeroMask(in UInt256 a) => IsZeroMask(a.L0 | a.L1 | a.L2 | a.L3);

    /// <summary>All ones if a = b, else zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong EqualMask(in UInt256 a, in UInt256 b) =>
        IsZeroMask((a.L0 ^ b.L0) | (a.L1 ^ b.L1) | (a.L2 ^ b.L2) | (a.L3 ^ b.L3));

    /// <summary>All ones if a &lt; b, else zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LessThanMask(in UInt256 a, in UInt256 b)
    {
        Subtract(a, b, out var borrow);
        return 0 - borrow;
    }

    /// <summary>All ones if x = 0, else zero: the top bit of (x - 1) &amp; ~x is set only for x = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong IsZeroMask(ulong x) => (ulong)((long)((x - 1) & ~x) >> 63);

    /// <summary>x + y + carryIn (carryIn 0 or 1); the carry out is 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddWithCarry(ulong x, ulong y, ulong carryIn, out ulong carryOut)
    {
        var partial = x + y;
        var sum = partial + carryIn;
        carryOut = Bit(partial < x) | Bit(sum < partial);
        return sum;
    }

    /// <summary>x - y - borrowIn (borrowIn 0 or 1); the borrow out is 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubtractWithBorrow(ulong x, ulong y, ulong borrowIn, out ulong borrowOut)
    {
        var partial = x - y;
        var difference = partial - borrowIn;
        borrowOut = Bit(x < y) | Bit(partial < borrowIn);
        return difference;
    }

    /// <summary>x·y + a + b as (high, low); never overflows 128 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MultiplyAdd(ulong x, ulong y, ulong a, ulong b, out ulong low)
    {
        ulong high;
        ulong product;
        if (Bmi2.X64.IsSupported)
        {
            // mulx for the high half and imul for the low one keep both in registers;
            // Math.BigMul's out parameter goes through memory.
            high = Bmi2.X64.MultiplyNoFlags(x, y);
            product = x * y;
        }
        else
        {
            high = Math.BigMul(x, y, out product);
        }
        low = AddWithCarry(product, a, 0, out var c1);
        low = AddWithCarry(low, b, 0, out var c2);
        return high + c1 + c2;
    }

    /// <summary>A comparison as 0 or 1: the JIT materialises it with setcc, not a jump.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bit(bool value) => Unsafe.BitCast<bool, byte>(value);

    public readonly bool Equals(UInt256 other) => EqualMask(this, other) != 0;

    public override readonly bool Equals(object? obj) => obj is UInt256 other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(L0, L1, L2, L3);

    public override readonly string ToString() => $"{L3:X16}{L2:X16}{L1:X16}{L0:X16}";
}
