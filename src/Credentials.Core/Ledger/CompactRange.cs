using System.Numerics;
using System.Runtime.InteropServices;

namespace Credentials.Core.Ledger;

/// <summary>
/// The right edge of a tree of <see cref="Size"/> leaves: one complete subtree per set bit of the size, largest
/// first (a compact range [0, size)). O(log n) memory; appending a leaf costs one hash on average and yields the
/// nodes a store must write. The provincial platform's sync feeds it the events it receives and compares
/// <see cref="Root"/> with the signed checkpoint; the ledger writer can keep one to append without reading.
/// </summary>
public sealed class CompactRange
{
    private readonly List<byte[]> _peaks = [];
    private readonly Func<int, byte[]> _popPeak;

    /// <summary>An empty tree.</summary>
    public CompactRange()
    {
        _popPeak = _ => PopPeak();
    }

    /// <summary>Leaves appended so far.</summary>
    public long Size { get; private set; }

    /// <summary>The ids of the peaks of a tree of <paramref name="size"/> leaves, largest first.</summary>
    public static IReadOnlyList<NodeId> PeakIds(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var ids = new List<NodeId>(BitOperations.PopCount((ulong)size));
        Subtrees.Decompose(0, size, ids);
        return ids;
    }

    /// <summary>Resumes a tree of <paramref name="size"/> leaves from its stored peaks (<see cref="PeakIds"/>, one batch).</summary>
    /// <exception cref="InvalidOperationException">A peak is missing or is not a 32-byte hash.</exception>
    public static CompactRange FromPeaks(long size, IReadOnlyDictionary<NodeId, byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var range = new CompactRange { Size = size };
        foreach (var id in PeakIds(size))
        {
            range._peaks.Add(NodeLookup.Get(hashes, id).ToArray());
        }
        return range;
    }

    /// <summary>The peaks with their ids, largest first.</summary>
    public IReadOnlyList<MerkleNode> Peaks()
    {
        var ids = PeakIds(Size);
        return [.. ids.Select((id, i) => new MerkleNode(id, _peaks[i].ToArray()))];
    }

    /// <summary>
    /// Appends the leaf with hash <paramref name="leafHash"/>; when <paramref name="newNodes"/> is given, adds to
    /// it the leaf node and every parent it completes (what <see cref="LogAppend.NewNodes"/> would return).
    /// </summary>
    public void Append(ReadOnlySpan<byte> leafHash, ICollection<MerkleNode>? newNodes = null)
    {
        // The peaks below the new leaf's top level are exactly the left siblings it merges with, last first.
        _peaks.Add(LogAppend.Climb(Size, leafHash, _popPeak, newNodes));
        Size++;
    }

    /// <summary>MTH of the leaves appended so far (the empty-tree hash for none).</summary>
    public byte[] Root()
    {
        var root = new byte[MerkleHash.Size];
        Subtrees.Fold(CollectionsMarshal.AsSpan(_peaks), root);
        return root;
    }

    private byte[] PopPeak()
    {
        var last = _peaks[^1];
        _peaks.RemoveAt(_peaks.Count - 1);
        return last;
    }
}
