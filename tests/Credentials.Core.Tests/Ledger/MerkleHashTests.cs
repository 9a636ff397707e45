using Credentials.Core.Ledger;
using static Credentials.Core.Tests.Ledger.MerkleVectors;

namespace Credentials.Core.Tests.Ledger;

public class MerkleHashTests
{
    [Fact]
    public void EmptyRoot_IsSha256OfEmptyString()
    {
        Assert.Equal(Hex(RootHashes[0]), MerkleHash.EmptyRoot.ToArray());
    }

    [Fact]
    public void HashLeaf_PublishedLeaves_MatchVectors()
    {
        var hashes = LeafHashes();

        Assert.Equal(Hexes(NodeHashes[0]), hashes);
    }

    [Fact]
    public void HashLeaf_LargeInput_SameAsSmallPathForSameBytes()
    {
        var data = new byte[5000];
        new Random(7).NextBytes(data);
        var expected = System.Security.Cryptography.SHA256.HashData([0x00, .. data]);

        Assert.Equal(expected, MerkleHash.HashLeaf(data));
    }

    [Fact]
    public void HashChildren_PublishedLevelOne_MatchesVectors()
    {
        var leaves = Hexes(NodeHashes[0]);

        var parents = Enumerable.Range(0, 4).Select(i => MerkleHash.HashChildren(leaves[2 * i], leaves[2 * i + 1]));

        Assert.Equal(Hexes(NodeHashes[1]), parents);
    }

    [Fact]
    public void HashChildren_WrongSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => MerkleHash.HashChildren(new byte[31], new byte[32]));
    }
}
