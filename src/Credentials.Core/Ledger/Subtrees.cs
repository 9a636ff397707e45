using System.Numerics;

namespace Credentials.Core.Ledger;

/// <summary>
/// How ranges of leaves map onto complete subtrees. Every subtree the RFC 9162 recursion visits, D[begin:end],
/// starts at a multiple of the smallest power of two not below its length, so it is either one complete subtree
/// or ends at the tree's right edge; either way it is a few complete subtrees, largest first, and its hash is
/// their right-to-left fold.
/// </summary>
internal static class Subtrees
{
    /// <summary>The largest power of two strictly smaller than <paramref name="n"/> (n &gt;= 2): the RFC's split point k.</summary>
    public static long SplitPoint(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>Appends the complete subtrees that tile leaves [begin, end), left to right (largest first).</summary>
    public static void Decompose(long begin, long end, List<NodeId> into)
    {
        while (begin < end)
        {
            var level = 63 - BitOperations.LeadingZeroCount((ulong)(end - begin));
            if (begin != 0)
            {
                level = Math.Min(level, BitOperations.TrailingZeroCount(begin));
            }
            into.Add(new NodeId(level, begin >> level));
            begin += 1L << level;
        }
    }

    /// <summary>
    /// MTH of the leaves covered by <paramref name="hashes"/> (adjacent complete subtrees, largest first):
    /// the right-to-left fold HASH(h0, HASH(h1, ... HASH(hn-2, hn-1))). No hashes fold to the empty-tree hash.
    /// </summary>
    public static void Fold(ReadOnlySpan<byte[]> hashes, Span<byte> destination)
    {
        if (hashes.IsEmpty)
        {
            MerkleHash.EmptyRoot.CopyTo(destination);
            return;
        }
        hashes[^1].CopyTo(destination);
        for (var i = hashes.Length - 2; i >= 0; i--)
        {
            MerkleHash.HashChildren(hashes[i], destination, destination);
        }
    }
}
