namespace Credentials.Core.Ledger;

/// <summary>
/// Appending one leaf to the stored tree. Leaf <c>i</c> completes one parent per trailing one bit of <c>i</c>:
/// at each such level its subtree is the right child and the already stored complete subtree to its left is the
/// sibling. So an append reads at most log2(n) nodes and writes at most log2(n) + 1 (on average 1 read, 2 writes).
/// </summary>
/// <remarks>
/// A store lists <see cref="SiblingIds"/>, fetches them in one batch, then writes <see cref="NewNodes"/>.
/// A writer that keeps a <see cref="CompactRange"/> of the tree gets the same nodes with no reads at all.
/// </remarks>
public static class LogAppend
{
    /// <summary>The stored nodes that leaf <paramref name="leafIndex"/> merges with, lowest level first.</summary>
    public static IReadOnlyList<NodeId> SiblingIds(long leafIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        var ids = new List<NodeId>();
        for (var level = 0; ((leafIndex >> level) & 1) == 1; level++)
        {
            ids.Add(new NodeId(level, (leafIndex >> level) - 1));
        }
        return ids;
    }

    /// <summary>
    /// The nodes to store for leaf <paramref name="leafIndex"/>: the leaf itself, then every parent it completes,
    /// lowest level first. <paramref name="siblings"/> must hold the hashes of <see cref="SiblingIds"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A sibling is missing or is not a 32-byte hash.</exception>
    public static IReadOnlyList<MerkleNode> NewNodes(
        long leafIndex, ReadOnlySpan<byte> leafHash, IReadOnlyDictionary<NodeId, byte[]> siblings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        ArgumentNullException.ThrowIfNull(siblings);
        var nodes = new List<MerkleNode>();
        Climb(leafIndex, leafHash, level => NodeLookup.Get(siblings, new NodeId(level, (leafIndex >> level) - 1)), nodes);
        return nodes;
    }

    /// <summary>
    /// Emits the leaf node and every parent it completes; <paramref name="siblingAt"/> gives the left sibling at
    /// a level (it is asked for levels 0, 1, ... in order, only while the climb continues). Returns the hash of
    /// the highest node emitted: the new rightmost complete subtree.
    /// </summary>
    internal static byte[] Climb(
        long leafIndex, ReadOnlySpan<byte> leafHash, Func<int, byte[]> siblingAt, ICollection<MerkleNode>? into)
    {
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"leaf hash must be {MerkleHash.Size} bytes, got {leafHash.Length}", nameof(leafHash));
        }
        var hash = leafHash.ToArray();
        into?.Add(new MerkleNode(new NodeId(0, leafIndex), hash));
        for (var level = 0; ((leafIndex >> level) & 1) == 1; level++)
        {
            hash = MerkleHash.HashChildren(siblingAt(level), hash);
            into?.Add(new MerkleNode(new NodeId(level + 1, leafIndex >> (level + 1)), hash));
        }
        return hash;
    }
}
