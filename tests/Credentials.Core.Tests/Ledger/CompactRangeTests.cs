using Credentials.Core.Ledger;
using static Credentials.Core.Tests.Ledger.MerkleVectors;

namespace Credentials.Core.Tests.Ledger;

public class CompactRangeTests
{
    [Fact]
    public void Root_AfterEachPublishedLeaf_MatchesPublishedRoot()
    {
        var range = new CompactRange();
        var roots = new List<byte[]> { range.Root() };

        foreach (var leaf in LeafHashes())
        {
            range.Append(leaf);
            roots.Add(range.Root());
        }

        Assert.Equal(Hexes(RootHashes), roots);
    }

    [Fact]
    public void Peaks_SevenLeaves_MatchPublishedCompactTree()
    {
        var range = new CompactRange();
        foreach (var leaf in LeafHashes().Take(7))
        {
            range.Append(leaf);
        }

        var peaks = range.Peaks();

        // CompactTrees()[7] = {nh[2][0], nh[1][2], nh[0][6]}
        Assert.Equal([new NodeId(2, 0), new NodeId(1, 2), new NodeId(0, 6)], peaks.Select(p => p.Id));
        Assert.Equal(
            Hexes([NodeHashes[2][0], NodeHashes[1][2], NodeHashes[0][6]]),
            peaks.Select(p => p.Hash));
    }

    [Fact]
    public void Append_WithNewNodes_SameNodesAsLogAppend()
    {
        var store = new InMemoryNodeStore();
        var range = new CompactRange();
        var random = new Random(3);

        for (var i = 0; i < 300; i++)
        {
            var leaf = RandomHash(random);
            var expected = LogAppend.NewNodes(i, leaf, store.Fetch(LogAppend.SiblingIds(i)));
            var nodes = new List<MerkleNode>();

            range.Append(leaf, nodes);
            foreach (var node in expected)
            {
                store.Put(node);
            }

            Assert.Equal(expected.Select(n => (n.Id, Convert.ToHexString(n.Hash))), nodes.Select(n => (n.Id, Convert.ToHexString(n.Hash))));
        }
        Assert.Equal(store.Root(300), range.Root());
    }

    [Fact]
    public void FromPeaks_ResumedFromStore_ContinuesLikeUninterruptedRange()
    {
        var random = new Random(5);
        var leaves = Enumerable.Range(0, 100).Select(_ => RandomHash(random)).ToArray();
        var store = new InMemoryNodeStore();
        var uninterrupted = new CompactRange();
        foreach (var leaf in leaves[..77])
        {
            store.Append(leaf);
            uninterrupted.Append(leaf);
        }

        var resumed = CompactRange.FromPeaks(77, store.Fetch(CompactRange.PeakIds(77)));
        foreach (var leaf in leaves[77..])
        {
            resumed.Append(leaf);
            uninterrupted.Append(leaf);
        }

        Assert.Equal(100, resumed.Size);
        Assert.Equal(uninterrupted.Root(), resumed.Root());
    }

    [Fact]
    public void FromPeaks_PeakMissing_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => CompactRange.FromPeaks(3, new Dictionary<NodeId, byte[]>()));
    }

    [Fact]
    public void Root_Empty_IsEmptyTreeHash()
    {
        Assert.Equal(MerkleHash.EmptyRoot.ToArray(), new CompactRange().Root());
    }

    internal static byte[] RandomHash(Random random)
    {
        var hash = new byte[MerkleHash.Size];
        random.NextBytes(hash);
        return hash;
    }
}
