using Credentials.Core.Ledger;
using static Credentials.Core.Tests.Ledger.MerkleVectors;

namespace Credentials.Core.Tests.Ledger;

public class LogAppendTests
{
    [Theory]
    [InlineData(0, new int[0])]
    [InlineData(1, new[] { 0 })]
    [InlineData(6, new int[0])]
    [InlineData(7, new[] { 0, 1, 2 })]
    [InlineData(11, new[] { 0, 1 })]
    public void SiblingIds_LeafIndex_OneLeftSiblingPerTrailingOneBit(long leafIndex, int[] levels)
    {
        var ids = LogAppend.SiblingIds(leafIndex);

        Assert.Equal(levels.Select(l => new NodeId(l, (leafIndex >> l) - 1)), ids);
    }

    [Fact]
    public void NewNodes_EightPublishedLeaves_ProduceEveryPublishedNodeOnce()
    {
        var stored = new Dictionary<NodeId, byte[]>();
        var leaves = LeafHashes();

        for (var i = 0; i < leaves.Length; i++)
        {
            var siblings = LogAppend.SiblingIds(i).ToDictionary(id => id, id => stored[id]);
            foreach (var node in LogAppend.NewNodes(i, leaves[i], siblings))
            {
                Assert.True(stored.TryAdd(node.Id, node.Hash), $"node {node.Id} written twice");
            }
        }

        var expected = NodeHashes.SelectMany((level, l) => level.Select((h, i) => (new NodeId(l, i), h)));
        Assert.Equal(expected.OrderBy(e => e.Item1.Level).ThenBy(e => e.Item1.Index),
            stored.Select(kv => (kv.Key, Convert.ToHexStringLower(kv.Value))).OrderBy(e => e.Key.Level).ThenBy(e => e.Key.Index));
    }

    [Fact]
    public void NewNodes_LeafSeven_LeafThenEachCompletedParent()
    {
        var siblings = LogAppend.SiblingIds(7).ToDictionary(id => id, id => Hex(NodeHashes[id.Level][id.Index]));

        var nodes = LogAppend.NewNodes(7, LeafHashes()[7], siblings);

        Assert.Equal([new NodeId(0, 7), new NodeId(1, 3), new NodeId(2, 1), new NodeId(3, 0)], nodes.Select(n => n.Id));
        Assert.Equal(Hex(RootHashes[8]), nodes[^1].Hash);
    }

    [Fact]
    public void NewNodes_SiblingNotFetched_ThrowsNamingTheNode()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => LogAppend.NewNodes(3, new byte[32], new Dictionary<NodeId, byte[]>()));

        Assert.Contains("(0, 2)", error.Message);
    }

    [Fact]
    public void NewNodes_LeafHashWrongSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => LogAppend.NewNodes(0, new byte[31], new Dictionary<NodeId, byte[]>()));
    }
}
