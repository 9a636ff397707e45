namespace Credentials.Core.Ledger;

/// <summary>
/// The complete-subtree node store held in memory: for tests, benchmarks and as the reference of how a database
/// store uses <see cref="LogAppend"/> and <see cref="NodePlan"/> (list ids, fetch in one batch, assemble). Each
/// level is a run of 32-byte hashes in 1 MiB chunks, so ten million leaves take about 640 MB.
/// </summary>
public sealed class InMemoryNodeStore
{
    private const int ChunkShift = 15;
    private const int ChunkNodes = 1 << ChunkShift;

    // _levels[level] holds that level's hashes in order of index; every level only grows at its end.
    private readonly List<List<byte[]>> _levels = [];
    private readonly List<long> _counts = [];

    /// <summary>Leaves stored: the size of the largest tree this store can answer for.</summary>
    public long Size => _counts.Count == 0 ? 0 : _counts[0];

    /// <summary>Appends a leaf by its hash and returns its index.</summary>
    public long Append(ReadOnlySpan<byte> leafHash)
    {
        var index = Size;
        var siblings = Fetch(LogAppend.SiblingIds(index));
        foreach (var node in LogAppend.NewNodes(index, leafHash, siblings))
        {
            Put(node);
        }
        return index;
    }

    /// <summary>Stores a node; nodes arrive in order within each level, as <see cref="LogAppend"/> emits them.</summary>
    public void Put(MerkleNode node)
    {
        var (id, hash) = node;
        if (hash is null || hash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"node {id} hash must be {MerkleHash.Size} bytes", nameof(node));
        }
        while (_levels.Count <= id.Level)
        {
            _levels.Add([]);
            _counts.Add(0);
        }
        if (id.Index != _counts[id.Level])
        {
            throw new InvalidOperationException($"node {id} is out of order: level {id.Level} holds {_counts[id.Level]} nodes");
        }
        var chunks = _levels[id.Level];
        var offset = (int)(id.Index & (ChunkNodes - 1));
        if (offset == 0)
        {
            chunks.Add(new byte[ChunkNodes * MerkleHash.Size]);
        }
        hash.CopyTo(chunks[^1].AsSpan(offset * MerkleHash.Size));
        _counts[id.Level]++;
    }

    /// <summary>The hashes of <paramref name="ids"/>, as one batch query of a database store would return them.</summary>
    /// <exception cref="KeyNotFoundException">A node is not stored.</exception>
    public Dictionary<NodeId, byte[]> Fetch(IEnumerable<NodeId> ids)
    {
        var hashes = new Dictionary<NodeId, byte[]>();
        foreach (var id in ids)
        {
            if (id.Level < 0 || id.Level >= _levels.Count || id.Index < 0 || id.Index >= _counts[id.Level])
            {
                throw new KeyNotFoundException($"ledger node {id} is not stored");
            }
            var chunk = _levels[id.Level][(int)(id.Index >> ChunkShift)];
            var offset = (int)(id.Index & (ChunkNodes - 1)) * MerkleHash.Size;
            hashes[id] = chunk.AsSpan(offset, MerkleHash.Size).ToArray();
        }
        return hashes;
    }

    /// <summary>The root of the first <paramref name="treeSize"/> leaves.</summary>
    public byte[] Root(long treeSize) => Run(NodePlan.Root(CheckSize(treeSize)))[0];

    /// <summary>The inclusion proof of leaf <paramref name="leafIndex"/> in the first <paramref name="treeSize"/> leaves.</summary>
    public byte[][] InclusionProof(long leafIndex, long treeSize) => Run(NodePlan.Inclusion(leafIndex, CheckSize(treeSize)));

    /// <summary>The consistency proof from the first <paramref name="oldSize"/> to the first <paramref name="newSize"/> leaves.</summary>
    public byte[][] ConsistencyProof(long oldSize, long newSize) => Run(NodePlan.Consistency(oldSize, CheckSize(newSize)));

    private byte[][] Run(NodePlan plan) => plan.Assemble(Fetch(plan.NodeIds));

    private long CheckSize(long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(treeSize, Size);
        return treeSize;
    }
}
