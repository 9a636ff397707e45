namespace Credentials.Core.Ledger;

/// <summary>
/// Which stored nodes a root or a proof needs, and how to assemble it from them, so that a store can fetch
/// everything in one batch: list <see cref="NodeIds"/>, fetch those hashes (one query), call
/// <see cref="Assemble"/>. Each element of the result is the hash of one complete subtree, or of an incomplete
/// subtree on the right edge folded from its complete parts. Plans are pure: no hashing until
/// <see cref="Assemble"/>.
/// </summary>
public sealed class NodePlan
{
    private readonly NodeId[] _nodes;
    private readonly int[] _elementEnds;

    private NodePlan(NodeId[] nodes, int[] elementEnds)
    {
        _nodes = nodes;
        _elementEnds = elementEnds;
    }

    /// <summary>The nodes to fetch, each listed once; at most about 2·log2(n) for any plan.</summary>
    public IReadOnlyList<NodeId> NodeIds => _nodes;

    /// <summary>How many hashes <see cref="Assemble"/> returns.</summary>
    public int ElementCount => _elementEnds.Length;

    /// <summary>
    /// The root MTH(D[0:n]) from the complete subtrees on the right edge: one element. For size 0 it needs no
    /// nodes and assembles to <see cref="MerkleHash.EmptyRoot"/>.
    /// </summary>
    public static NodePlan Root(long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        var builder = new Builder();
        builder.Add(0, treeSize);
        return builder.Build();
    }

    /// <summary>
    /// The inclusion proof PATH(m, D[0:n]) of RFC 9162 section 2.1.3.1, leaf to root order. Size 1 gives an
    /// empty proof (the root is the leaf hash).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 &lt;= leafIndex &lt; treeSize.</exception>
    public static NodePlan Inclusion(long leafIndex, long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(leafIndex, treeSize);
        // PATH recurses into the half holding the leaf and appends the other half's hash after the deeper
        // part, so siblings are found root first and emitted in reverse.
        var siblings = new List<(long Begin, long End)>();
        long begin = 0, end = treeSize;
        while (end - begin > 1)
        {
            var split = begin + Subtrees.SplitPoint(end - begin);
            if (leafIndex < split)
            {
                siblings.Add((split, end));
                end = split;
            }
            else
            {
                siblings.Add((begin, split));
                begin = split;
            }
        }
        return FromReversed(siblings, first: null);
    }

    /// <summary>
    /// The consistency proof PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true) of RFC 9162 section 2.1.4.1.
    /// Empty when m == n, and when m == 0 (the empty tree is a prefix of every tree; there is nothing to prove).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 &lt;= oldSize &lt;= newSize.</exception>
    public static NodePlan Consistency(long oldSize, long newSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, newSize);
        var siblings = new List<(long Begin, long End)>();
        if (oldSize == 0 || oldSize == newSize)
        {
            return FromReversed(siblings, first: null);
        }
        long begin = 0, end = newSize;
        var oldTreeIsThisSubtree = true; // SUBPROOF's flag b: false once we step right of D[0:k]
        while (oldSize != end)
        {
            var split = begin + Subtrees.SplitPoint(end - begin);
            if (oldSize <= split)
            {
                siblings.Add((split, end));
                end = split;
            }
            else
            {
                siblings.Add((begin, split));
                begin = split;
                oldTreeIsThisSubtree = false;
            }
        }
        // SUBPROOF(m, D[begin:m], b) ends with {} when b (the verifier already has MTH(D[0:m])),
        // otherwise with {MTH(D[begin:m])}.
        return FromReversed(siblings, first: oldTreeIsThisSubtree ? null : (begin, end));
    }

    /// <summary>
    /// The hashes of the plan's elements from the fetched node hashes (a store may pass more than it was asked
    /// for). For <see cref="Root"/> the single element is the root.
    /// </summary>
    /// <exception cref="InvalidOperationException">A listed node is missing or is not a 32-byte hash.</exception>
    public byte[][] Assemble(IReadOnlyDictionary<NodeId, byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var parts = new byte[_nodes.Length][];
        for (var i = 0; i < _nodes.Length; i++)
        {
            parts[i] = NodeLookup.Get(hashes, _nodes[i]);
        }
        var result = new byte[_elementEnds.Length][];
        var start = 0;
        for (var e = 0; e < _elementEnds.Length; e++)
        {
            result[e] = new byte[MerkleHash.Size];
            Subtrees.Fold(parts.AsSpan(start, _elementEnds[e] - start), result[e]);
            start = _elementEnds[e];
        }
        return result;
    }

    private static NodePlan FromReversed(List<(long Begin, long End)> siblings, (long Begin, long End)? first)
    {
        var builder = new Builder();
        if (first is { } range)
        {
            builder.Add(range.Begin, range.End);
        }
        for (var i = siblings.Count - 1; i >= 0; i--)
        {
            builder.Add(siblings[i].Begin, siblings[i].End);
        }
        return builder.Build();
    }

    private sealed class Builder
    {
        private readonly List<NodeId> _nodes = [];
        private readonly List<int> _ends = [];

        public void Add(long begin, long end)
        {
            Subtrees.Decompose(begin, end, _nodes);
            _ends.Add(_nodes.Count);
        }

        public NodePlan Build() => new([.. _nodes], [.. _ends]);
    }
}
