using System.Security.Cryptography;

namespace Credentials.Testing;

/// <summary>
/// RFC 9162 section 2.1 written straight from its text, recursion and all, over leaf hashes: the yardstick the
/// complete-subtree implementation (and the server's proofs) are measured against. It shares no code with
/// Credentials.Core: its own SHA-256 prefixes, its own recursion. Slow on purpose; tests only.
/// </summary>
public static class ReferenceMerkle
{
    /// <summary>SHA-256(0x00 || data).</summary>
    public static byte[] Leaf(ReadOnlySpan<byte> data) => SHA256.HashData([0x00, .. data]);

    /// <summary>SHA-256(0x01 || left || right).</summary>
    public static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>MTH(D[lo:hi]) (2.1.1).</summary>
    public static byte[] Mth(byte[][] leaves, int lo, int hi)
    {
        var n = hi - lo;
        if (n == 0)
        {
            return SHA256.HashData([]);
        }
        if (n == 1)
        {
            return leaves[lo];
        }
        var k = LargestPowerOfTwoBelow(n);
        return Node(Mth(leaves, lo, lo + k), Mth(leaves, lo + k, hi));
    }

    /// <summary>PATH(m, D[lo:hi]) (2.1.3.1), m relative to lo.</summary>
    public static List<byte[]> Path(int m, byte[][] leaves, int lo, int hi)
    {
        var n = hi - lo;
        if (n == 1)
        {
            return [];
        }
        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            return [.. Path(m, leaves, lo, lo + k), Mth(leaves, lo + k, hi)];
        }
        return [.. Path(m - k, leaves, lo + k, hi), Mth(leaves, lo, lo + k)];
    }

    /// <summary>PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true) (2.1.4.1).</summary>
    public static List<byte[]> Proof(int m, byte[][] leaves, int n) => SubProof(m, leaves, 0, n, true);

    private static List<byte[]> SubProof(int m, byte[][] leaves, int lo, int hi, bool b)
    {
        var n = hi - lo;
        if (m == n)
        {
            return b ? [] : [Mth(leaves, lo, hi)];
        }
        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            return [.. SubProof(m, leaves, lo, lo + k, b), Mth(leaves, lo + k, hi)];
        }
        return [.. SubProof(m - k, leaves, lo + k, hi, false), Mth(leaves, lo, lo + k)];
    }

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }
        return k;
    }
}
