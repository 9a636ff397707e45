using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Org.BouncyCastle.Math.EC;
using Fp = Credentials.Core.Signing.Sm2.Montgomery<Credentials.Core.Signing.Sm2.Sm2FieldPrime>;

namespace Credentials.Core.Signing.Sm2;

/// <summary>
/// k·G for a secret k in constant time, with tables fixed per base point.
/// <para>
/// k is written in a regular signed-digit form (Joye and Tunstall's recoding): w-bit windows
/// whose digits are all odd, d_i in {±1, ±3, ..., ±(2^w - 1)}, so no digit is zero and every
/// window does exactly one table lookup and one addition; nothing is ever skipped. Window i
/// has its own table of the odd multiples j·2^(wi)·G (j = 1, 3, ..., 2^w - 1), so there are no
/// doublings; a negative digit negates the looked-up y with a mask. The recoding needs an odd
/// scalar: for even k we multiply by n - k (odd, since n is) and negate the result, again with
/// a mask. Each lookup reads every entry of its table (AND-masked vector loads), so the memory
/// touched does not depend on k, and the additions are the complete formulas of
/// <see cref="ProjectivePoint.AddMixed"/>, which have no exceptional cases to branch on.
/// </para>
/// <para>
/// BouncyCastle's FixedPointCombMultiplier meets zero digits the same way in spirit: its comb
/// table holds signed combinations so no entry is the identity, plus a fixed offset point; but
/// it runs on BouncyCastle's branching point and field arithmetic.
/// </para>
/// </summary>
internal sealed class FixedBaseMultiplier
{
    /// <summary>Window width: 43 windows of 32 entries (88 KiB of tables).</summary>
    public const int WindowBits = 6;

    /// <summary>ceil(256 / w): the top digit, (k &gt;&gt; w(m-1)) | 1, is then below 2^w.</summary>
    public const int Windows = (256 + WindowBits - 1) / WindowBits;

    public const int EntriesPerWindow = 1 << (WindowBits - 1);

    private const int LimbsPerEntry = 8;

    // Window i, entry j: x then y, four limbs each, at (i·EntriesPerWindow + j)·8.
    private readonly ulong[] _table = new ulong[Windows * EntriesPerWindow * LimbsPerEntry];

    /// <summary>Builds the tables with BouncyCastle's arithmetic: the base point is public.</summary>
    public FixedBaseMultiplier(ECPoint point)
    {
        var points = new ECPoint[Windows * EntriesPerWindow];
        var windowBase = point.Normalize();
        for (var i = 0; i < Windows; i++)
        {
            var twice = windowBase.Twice();
            points[i * EntriesPerWindow] = windowBase;
            for (var j = 1; j < EntriesPerWindow; j++)
            {
                points[i * EntriesPerWindow + j] = points[i * EntriesPerWindow + j - 1].Add(twice);
            }
            windowBase = windowBase.TimesPow2(WindowBits).Normalize();
        }
        point.Curve.NormalizeAll(points);
        for (var i = 0; i < points.Length; i++)
        {
            Store(i, Fp.ToMontgomery(UInt256.FromBigEndian(points[i].AffineXCoord.GetEncoded())),
                Fp.ToMontgomery(UInt256.FromBigEndian(points[i].AffineYCoord.GetEncoded())));
        }
    }

    /// <summary>k·G for a 32-byte big-endian k in [1, n-1].</summary>
    public ProjectivePoint Multiply(ReadOnlySpan<byte> k)
    {
        var scalar = UInt256.FromBigEndian(k);
        var evenMask = (scalar.L0 & 1) - 1;
        var odd = UInt256.Select(evenMask, UInt256.Subtract(Sm2GroupOrder.Value, scalar, out _), scalar);
        var result = ProjectivePoint.Identity;
        for (var i = 0; i < Windows; i++)
        {
            var digit = Digit(odd, i);
            var negative = (ulong)(long)(digit >> 31);
            var index = (((digit ^ (int)negative) - (int)negative) - 1) >> 1;
            var addend = Lookup(i, index);
            ProjectivePoint.ConditionalNegate(ref addend.Y, negative);
            result = ProjectivePoint.AddMixed(result, addend);
        }
        ProjectivePoint.ConditionalNegate(ref result.Y, evenMask);
        return result;
    }

    /// <summary>
    /// Digit i of the regular recoding of an odd k: ((bits wi .. wi+w of k) | 1) - 2^w, and the
    /// top digit (k &gt;&gt; w(m-1)) | 1. These satisfy k = Σ d_i·2^(wi) (by induction on
    /// k_i = (k &gt;&gt; wi) | 1 = d_i + 2^w·k_(i+1)); the bit positions are public.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Digit(in UInt256 oddScalar, int window)
    {
        var position = window * WindowBits;
        if (window == Windows - 1)
        {
            return (int)Bits(oddScalar, position, 256 - position) | 1;
        }
        return ((int)Bits(oddScalar, position, WindowBits + 1) | 1) - (1 << WindowBits);
    }

    /// <summary>count (&lt;= 63) bits of x from a public position (bits beyond 255 read as 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(in UInt256 x, int position, int count)
    {
        var limb = position >> 6;
        var shift = position & 63;
        var low = LimbAt(x, limb) >> shift;
        // Shifting by 64 is a no-op in C#, so the next limb joins only when the bits straddle it.
        var high = shift == 0 || limb == 3 ? 0 : LimbAt(x, limb + 1) << (64 - shift);
        return (low | high) & ((1UL << count) - 1);
    }

    private static ulong LimbAt(in UInt256 x, int index) => index switch
    {
        0 => x.L0,
        1 => x.L1,
        2 => x.L2,
        _ => x.L3,
    };

    /// <summary>Entry <paramref name="index"/> of window <paramref name="window"/>, reading every entry of that window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private AffinePoint Lookup(int window, int index)
    {
        ref var start = ref _table[window * EntriesPerWindow * LimbsPerEntry];
        var x = Vector256<ulong>.Zero;
        var y = Vector256<ulong>.Zero;
        for (var j = 0; j < EntriesPerWindow; j++)
        {
            // All ones for j = index: (j ^ index) - 1 is negative only for 0.
            var mask = Vector256.Create((ulong)(((long)(uint)(j ^ index) - 1) >> 63));
            x |= Vector256.LoadUnsafe(ref start, (nuint)(j * LimbsPerEntry)) & mask;
            y |= Vector256.LoadUnsafe(ref start, (nuint)(j * LimbsPerEntry + 4)) & mask;
        }
        AffinePoint point;
        point.X = new UInt256(x[0], x[1], x[2], x[3]);
        point.Y = new UInt256(y[0], y[1], y[2], y[3]);
        return point;
    }

    private void Store(int entry, in UInt256 x, in UInt256 y)
    {
        var offset = entry * LimbsPerEntry;
        _table[offset] = x.L0;
        _table[offset + 1] = x.L1;
        _table[offset + 2] = x.L2;
        _table[offset + 3] = x.L3;
        _table[offset + 4] = y.L0;
        _table[offset + 5] = y.L1;
        _table[offset + 6] = y.L2;
        _table[offset + 7] = y.L3;
    }
}
