using Credentials.Core.Ledger;
using static Credentials.Core.Tests.Ledger.MerkleVectors;

namespace Credentials.Core.Tests.Ledger;

public class ProofVerifierTests
{
    private static readonly byte[] SomeHash = Hex("abacaba000000000000000000000000000000000000000000060061e00123456");
    private static readonly byte[] EmptyRoot = MerkleHash.EmptyRoot.ToArray();

    public static TheoryData<long, long, string[]> InclusionVectors => InclusionProofs;

    public static TheoryData<long, long, string[]> ConsistencyVectors => ConsistencyProofs;

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void VerifyInclusion_PublishedProof_True(long leafIndex, long treeSize, string[] proof)
    {
        Assert.True(ProofVerifier.VerifyInclusion(
            leafIndex, treeSize, LeafHashes()[leafIndex], Hexes(proof), Hex(RootHashes[treeSize])));
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void VerifyInclusion_CorruptedPublishedProof_False(long leafIndex, long treeSize, string[] hexProof)
    {
        var leaf = LeafHashes()[leafIndex];
        var root = Hex(RootHashes[treeSize]);
        var proof = Hexes(hexProof);
        var probes = new List<(string What, long Index, long Size, byte[] Leaf, byte[][] Proof, byte[] Root)>
        {
            ("index - 1", leafIndex - 1, treeSize, leaf, proof, root),
            ("index + 1", leafIndex + 1, treeSize, leaf, proof, root),
            ("index ^ 2", leafIndex ^ 2, treeSize, leaf, proof, root),
            ("size * 2", leafIndex, treeSize * 2, leaf, proof, root),
            ("size / 2", leafIndex, treeSize / 2, leaf, proof, root),
            ("other leaf", leafIndex, treeSize, SomeHash, proof, root),
            ("short leaf", leafIndex, treeSize, leaf[..31], proof, root),
            ("empty-tree root", leafIndex, treeSize, leaf, proof, EmptyRoot),
            ("other root", leafIndex, treeSize, leaf, proof, SomeHash),
            ("trailing root", leafIndex, treeSize, leaf, [.. proof, root], root),
            ("trailing empty element", leafIndex, treeSize, leaf, [.. proof, []], root),
            ("preceding root", leafIndex, treeSize, leaf, [root, .. proof], root),
        };
        if (proof.Length > 0)
        {
            probes.Add(("last removed", leafIndex, treeSize, leaf, proof[..^1], root));
        }
        if (proof.Length > 1)
        {
            probes.Add(("inserted", leafIndex, treeSize, leaf, [proof[0], SomeHash, .. proof[1..]], root));
        }
        for (var i = 0; i < proof.Length; i++)
        {
            var flipped = proof.Select(p => p.ToArray()).ToArray();
            flipped[i][0] ^= 8;
            probes.Add(($"proof[{i}] bit 3", leafIndex, treeSize, leaf, flipped, root));
        }

        var accepted = probes.Where(p => ProofVerifier.VerifyInclusion(p.Index, p.Size, p.Leaf, p.Proof, p.Root));

        Assert.Empty(accepted.Select(p => p.What));
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void VerifyConsistency_PublishedProof_True(long oldSize, long newSize, string[] proof)
    {
        Assert.True(ProofVerifier.VerifyConsistency(
            oldSize, newSize, Hex(RootHashes[oldSize]), Hex(RootHashes[newSize]), Hexes(proof)));
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void VerifyConsistency_CorruptedPublishedProof_False(long oldSize, long newSize, string[] hexProof)
    {
        var proof = Hexes(hexProof);
        if (proof.Length == 0)
        {
            return; // m == n: covered by the edge-case tests below
        }
        var oldRoot = Hex(RootHashes[oldSize]);
        var newRoot = Hex(RootHashes[newSize]);
        var probes = new List<(string What, long Old, long New, byte[] OldRoot, byte[] NewRoot, byte[][] Proof)>
        {
            ("old - 1", oldSize - 1, newSize, oldRoot, newRoot, proof),
            ("old + 1", oldSize + 1, newSize, oldRoot, newRoot, proof),
            ("old ^ 2", oldSize ^ 2, newSize, oldRoot, newRoot, proof),
            ("new * 2", oldSize, newSize * 2, oldRoot, newRoot, proof),
            ("new / 2", oldSize, newSize / 2, oldRoot, newRoot, proof),
            ("other old root", oldSize, newSize, SomeHash, newRoot, proof),
            ("other new root", oldSize, newSize, oldRoot, SomeHash, proof),
            ("swapped roots", oldSize, newSize, newRoot, oldRoot, proof),
            ("empty proof", oldSize, newSize, oldRoot, newRoot, []),
            ("trailing old root", oldSize, newSize, oldRoot, newRoot, [.. proof, oldRoot]),
            ("trailing new root", oldSize, newSize, oldRoot, newRoot, [.. proof, newRoot]),
            ("trailing empty element", oldSize, newSize, oldRoot, newRoot, [.. proof, []]),
            ("preceding old root", oldSize, newSize, oldRoot, newRoot, [oldRoot, .. proof]),
            ("preceding new root", oldSize, newSize, oldRoot, newRoot, [newRoot, .. proof]),
            ("preceding proof[0]", oldSize, newSize, oldRoot, newRoot, [proof[0], .. proof]),
            ("last removed", oldSize, newSize, oldRoot, newRoot, proof[..^1]),
        };
        for (var i = 0; i < proof.Length; i++)
        {
            var flipped = proof.Select(p => p.ToArray()).ToArray();
            flipped[i][0] ^= 16;
            probes.Add(($"proof[{i}] bit 4", oldSize, newSize, oldRoot, newRoot, flipped));
        }

        var accepted = probes.Where(p => ProofVerifier.VerifyConsistency(p.Old, p.New, p.OldRoot, p.NewRoot, p.Proof));

        Assert.Empty(accepted.Select(p => p.What));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(-1, 1)]
    public void VerifyInclusion_IndexNotInTree_False(long leafIndex, long treeSize)
    {
        Assert.False(ProofVerifier.VerifyInclusion(leafIndex, treeSize, SomeHash, [], SomeHash));
        Assert.False(ProofVerifier.VerifyInclusion(leafIndex, treeSize, EmptyRoot, [], EmptyRoot));
    }

    [Fact]
    public void VerifyInclusion_SingleLeafTree_RootIsLeafWithEmptyProof()
    {
        var leaf = MerkleHash.HashLeaf("event"u8);

        Assert.True(ProofVerifier.VerifyInclusion(0, 1, leaf, [], leaf));
        Assert.False(ProofVerifier.VerifyInclusion(0, 1, leaf, [], SomeHash));
        Assert.False(ProofVerifier.VerifyInclusion(0, 1, [], [], []));
    }

    [Fact]
    public void VerifyInclusion_NullProofOrElement_False()
    {
        var leaf = LeafHashes()[2];
        var root = Hex(RootHashes[3]);

        Assert.False(ProofVerifier.VerifyInclusion(2, 3, leaf, null, root));
        Assert.False(ProofVerifier.VerifyInclusion(2, 3, leaf, [null!], root));
    }

    [Fact]
    public void VerifyConsistency_SameSize_TrueOnlyForEqualRootsAndEmptyProof()
    {
        var root = Hex(RootHashes[5]);

        Assert.True(ProofVerifier.VerifyConsistency(5, 5, root, root, []));
        Assert.False(ProofVerifier.VerifyConsistency(5, 5, root, SomeHash, []));
        Assert.False(ProofVerifier.VerifyConsistency(5, 5, root, root, [root]));
    }

    [Fact]
    public void VerifyConsistency_FromEmptyTree_TrueOnlyForEmptyTreeRootAndEmptyProof()
    {
        var root = Hex(RootHashes[5]);

        Assert.True(ProofVerifier.VerifyConsistency(0, 5, EmptyRoot, root, []));
        Assert.True(ProofVerifier.VerifyConsistency(0, 0, EmptyRoot, EmptyRoot, []));
        Assert.False(ProofVerifier.VerifyConsistency(0, 5, SomeHash, root, []));
        Assert.False(ProofVerifier.VerifyConsistency(0, 5, EmptyRoot, root, [root]));
        Assert.False(ProofVerifier.VerifyConsistency(0, 0, SomeHash, SomeHash, []));
        Assert.False(ProofVerifier.VerifyConsistency(0, 0, EmptyRoot, SomeHash, []));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(6, 5)]
    [InlineData(-1, 5)]
    public void VerifyConsistency_OldSizeOutOfRange_False(long oldSize, long newSize)
    {
        Assert.False(ProofVerifier.VerifyConsistency(oldSize, newSize, EmptyRoot, EmptyRoot, []));
        Assert.False(ProofVerifier.VerifyConsistency(oldSize, newSize, SomeHash, SomeHash, [SomeHash]));
    }

    [Fact]
    public void VerifyConsistency_NullOrShortElements_False()
    {
        var oldRoot = Hex(RootHashes[2]);
        var newRoot = Hex(RootHashes[5]);
        var proof = Hexes(["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]);

        Assert.True(ProofVerifier.VerifyConsistency(2, 5, oldRoot, newRoot, proof));
        Assert.False(ProofVerifier.VerifyConsistency(2, 5, oldRoot, newRoot, null));
        Assert.False(ProofVerifier.VerifyConsistency(2, 5, oldRoot, newRoot, [proof[0], null!]));
        Assert.False(ProofVerifier.VerifyConsistency(2, 5, oldRoot, newRoot, [proof[0], proof[1][..31]]));
        Assert.False(ProofVerifier.VerifyConsistency(2, 5, oldRoot[..31], newRoot, proof));
    }

    [Fact]
    public void VerifyInclusion_OtherTreeSizeOfSameShape_AlsoTrue_SoSizesMustComeFromSignedCheckpoints()
    {
        // RFC 9162 proofs do not bind the tree size: leaf 0 of 5 and leaf 0 of 7 both have three right-hand
        // siblings. Verifiers therefore take size and root together from a verified checkpoint, never from the
        // proof's sender alone.
        var proof = Hexes(["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]);
        var root = Hex(RootHashes[5]);

        Assert.True(ProofVerifier.VerifyInclusion(0, 5, LeafHashes()[0], proof, root));
        Assert.True(ProofVerifier.VerifyInclusion(0, 7, LeafHashes()[0], proof, root));
    }
}
