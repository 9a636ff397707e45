using System.Numerics;
using Credentials.Core.Ledger;
using static Credentials.Core.Tests.Ledger.MerkleVectors;

namespace Credentials.Core.Tests.Ledger;

public class NodePlanTests
{
    public static TheoryData<long, long, string[]> InclusionVectors => InclusionProofs;

    public static TheoryData<long, long, string[]> ConsistencyVectors => ConsistencyProofs;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Root_EachPublishedSize_MatchesPublishedRoot(int size)
    {
        var store = Store();
        var plan = NodePlan.Root(size);

        var assembled = plan.Assemble(store.Fetch(plan.NodeIds));

        Assert.Equal(BitOperations.PopCount((uint)size), plan.NodeIds.Count);
        Assert.Equal(Hex(RootHashes[size]), Assert.Single(assembled));
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void Inclusion_PublishedVector_MatchesPublishedProof(long leafIndex, long treeSize, string[] proof)
    {
        var plan = NodePlan.Inclusion(leafIndex, treeSize);

        var assembled = plan.Assemble(Store().Fetch(plan.NodeIds));

        Assert.Equal(Hexes(proof), assembled);
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void Consistency_PublishedVector_MatchesPublishedProof(long oldSize, long newSize, string[] proof)
    {
        var plan = NodePlan.Consistency(oldSize, newSize);

        var assembled = plan.Assemble(Store().Fetch(plan.NodeIds));

        Assert.Equal(Hexes(proof), assembled);
    }

    [Fact]
    public void Inclusion_LeftLeafOfUnbalancedTree_FoldsRightEdgeIntoOneElement()
    {
        // Leaf 0 of 7: the last element is MTH(D[4:7]), folded from nodes (1, 2) and (0, 6).
        var plan = NodePlan.Inclusion(0, 7);

        Assert.Equal([new NodeId(0, 1), new NodeId(1, 1), new NodeId(1, 2), new NodeId(0, 6)], plan.NodeIds);
        Assert.Equal(3, plan.ElementCount);
    }

    [Fact]
    public void NodeIds_TenMillionLeaves_AtMostTwoLog2NNodesEach()
    {
        const long n = 10_000_000;
        var random = new Random(1);
        var limit = 2 * (64 - BitOperations.LeadingZeroCount((ulong)n));

        for (var i = 0; i < 2000; i++)
        {
            var m = random.NextInt64(0, n);
            Assert.InRange(NodePlan.Inclusion(m, n).NodeIds.Count, 0, limit);
            Assert.InRange(NodePlan.Consistency(m, n).NodeIds.Count, 0, limit);
            Assert.Equal(NodePlan.Inclusion(m, n).NodeIds.Count, NodePlan.Inclusion(m, n).NodeIds.Distinct().Count());
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 5)]
    [InlineData(-1, 5)]
    public void Inclusion_IndexOutsideTree_Throws(long leafIndex, long treeSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NodePlan.Inclusion(leafIndex, treeSize));
    }

    [Theory]
    [InlineData(6, 5)]
    [InlineData(-1, 5)]
    public void Consistency_OldSizeOutsideRange_Throws(long oldSize, long newSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NodePlan.Consistency(oldSize, newSize));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 8)]
    [InlineData(8, 8)]
    public void Consistency_EmptyOrSameTree_EmptyProof(long oldSize, long newSize)
    {
        var plan = NodePlan.Consistency(oldSize, newSize);

        Assert.Empty(plan.NodeIds);
        Assert.Empty(plan.Assemble(new Dictionary<NodeId, byte[]>()));
    }

    [Fact]
    public void Assemble_NodeMissing_ThrowsNamingTheNode()
    {
        var plan = NodePlan.Inclusion(0, 8);
        var fetched = Store().Fetch(plan.NodeIds);
        fetched.Remove(new NodeId(1, 1));

        var error = Assert.Throws<InvalidOperationException>(() => plan.Assemble(fetched));

        Assert.Contains("(1, 1)", error.Message);
    }

    [Fact]
    public void Assemble_HashOfWrongSize_Throws()
    {
        var plan = NodePlan.Root(3);
        var fetched = Store().Fetch(plan.NodeIds);
        fetched[new NodeId(0, 2)] = new byte[31];

        Assert.Throws<InvalidOperationException>(() => plan.Assemble(fetched));
    }
}
