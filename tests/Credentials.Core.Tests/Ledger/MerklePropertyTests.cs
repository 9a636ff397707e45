using Credentials.Core.Ledger;
using Credentials.Testing;

namespace Credentials.Core.Tests.Ledger;

/// <summary>
/// The complete-subtree store against <see cref="ReferenceMerkle"/> (the RFC text as code), and every generated
/// proof against the verifier, including every single-bit change of proof, roots and leaf index or old size.
/// (The tree size itself is not bound by RFC 9162 proofs; see ProofVerifierTests.) Seeded, so a failure reproduces.
/// </summary>
public class MerklePropertyTests
{
    private const int MaxLeaves = 4100;

    private static readonly byte[][] Leaves = RandomLeaves(MaxLeaves, seed: 11);
    private static readonly Lazy<InMemoryNodeStore> SharedStore = new(() =>
    {
        var store = new InMemoryNodeStore();
        foreach (var leaf in Leaves)
        {
            store.Append(leaf);
        }
        return store;
    });

    public static TheoryData<int> MutationSizes => [1, 2, 3, 5, 8, 13, 32, 33, 100, 1023, 4097];

    [Fact]
    public void Root_EverySizeUpTo300_MatchesReferenceAndCompactRange()
    {
        var range = new CompactRange();
        for (var n = 0; n <= 300; n++)
        {
            var expected = ReferenceMerkle.Mth(Leaves, 0, n);

            Assert.Equal(expected, SharedStore.Value.Root(n));
            Assert.Equal(expected, range.Root());
            range.Append(Leaves[n]);
        }
    }

    [Fact]
    public void Proofs_EveryIndexOfTreesUpTo70_MatchReferenceAndVerify()
    {
        for (var n = 1; n <= 70; n++)
        {
            for (var m = 0; m <= n; m++)
            {
                AssertProofsMatchReference(m, n);
            }
        }
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    [InlineData(24)]
    public void Proofs_RandomSizesUpTo4096_MatchReferenceAndVerify(int seed)
    {
        var random = new Random(seed);
        for (var s = 0; s < 4; s++)
        {
            var n = random.Next(1, 4097);
            for (var i = 0; i < 6; i++)
            {
                AssertProofsMatchReference(random.Next(0, n + 1), n);
            }
            AssertProofsMatchReference(n - 1, n);
            AssertProofsMatchReference(1, n);
        }
    }

    [Theory]
    [MemberData(nameof(MutationSizes))]
    public void VerifyInclusion_AnySingleBitFlipped_False(int n)
    {
        var store = SharedStore.Value;
        var root = store.Root(n);
        foreach (var m in new[] { 0, n / 3, n / 2, n - 1 }.Distinct())
        {
            var proof = store.InclusionProof(m, n);
            var leaf = Leaves[m];
            Assert.True(ProofVerifier.VerifyInclusion(m, n, leaf, proof, root));

            AssertNoneVerifies(EachBitFlipped(proof), p => ProofVerifier.VerifyInclusion(m, n, leaf, p, root), $"proof bit, m={m} n={n}");
            AssertNoneVerifies(EachBitFlipped(root), r => ProofVerifier.VerifyInclusion(m, n, leaf, proof, r), $"root bit, m={m} n={n}");
            AssertNoneVerifies(EachBitFlipped(leaf), l => ProofVerifier.VerifyInclusion(m, n, l, proof, root), $"leaf bit, m={m} n={n}");
            AssertNoneVerifies(EachBitFlipped(m), i => ProofVerifier.VerifyInclusion(i, n, leaf, proof, root), $"index bit, m={m} n={n}");
        }
    }

    [Theory]
    [MemberData(nameof(MutationSizes))]
    public void VerifyConsistency_AnySingleBitFlipped_False(int n)
    {
        var store = SharedStore.Value;
        var newRoot = store.Root(n);
        foreach (var m in new[] { 1, n / 3, n / 2, n - 1, n }.Where(m => m >= 1).Distinct())
        {
            var proof = store.ConsistencyProof(m, n);
            var oldRoot = store.Root(m);
            Assert.True(ProofVerifier.VerifyConsistency(m, n, oldRoot, newRoot, proof));

            AssertNoneVerifies(EachBitFlipped(proof), p => ProofVerifier.VerifyConsistency(m, n, oldRoot, newRoot, p), $"proof bit, m={m} n={n}");
            AssertNoneVerifies(EachBitFlipped(oldRoot), r => ProofVerifier.VerifyConsistency(m, n, r, newRoot, proof), $"old root bit, m={m} n={n}");
            AssertNoneVerifies(EachBitFlipped(newRoot), r => ProofVerifier.VerifyConsistency(m, n, oldRoot, r, proof), $"new root bit, m={m} n={n}");
            AssertNoneVerifies(EachBitFlipped(m), i => ProofVerifier.VerifyConsistency(i, n, oldRoot, newRoot, proof), $"old size bit, m={m} n={n}");
        }
    }

    private static void AssertProofsMatchReference(int m, int n)
    {
        var store = SharedStore.Value;
        var root = store.Root(n);
        Assert.Equal(ReferenceMerkle.Mth(Leaves, 0, n), root);

        var consistency = store.ConsistencyProof(m, n);
        var expectedConsistency = m == 0 ? [] : ReferenceMerkle.Proof(m, Leaves, n);
        Assert.Equal(expectedConsistency, consistency);
        Assert.True(ProofVerifier.VerifyConsistency(m, n, store.Root(m), root, consistency), $"consistency m={m} n={n}");

        if (m < n)
        {
            var inclusion = store.InclusionProof(m, n);
            Assert.Equal(ReferenceMerkle.Path(m, Leaves, 0, n), inclusion);
            Assert.True(ProofVerifier.VerifyInclusion(m, n, Leaves[m], inclusion, root), $"inclusion m={m} n={n}");
        }
    }

    private static void AssertNoneVerifies<T>(IEnumerable<T> variants, Func<T, bool> verifies, string what)
    {
        foreach (var variant in variants)
        {
            Assert.False(verifies(variant), what);
        }
    }

    private static IEnumerable<long> EachBitFlipped(long value) => Enumerable.Range(0, 64).Select(bit => value ^ (1L << bit));

    private static IEnumerable<byte[]> EachBitFlipped(byte[] hash)
    {
        for (var bit = 0; bit < hash.Length * 8; bit++)
        {
            var copy = hash.ToArray();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            yield return copy;
        }
    }

    private static IEnumerable<byte[][]> EachBitFlipped(byte[][] proof)
    {
        for (var i = 0; i < proof.Length; i++)
        {
            foreach (var flipped in EachBitFlipped(proof[i]))
            {
                var copy = proof.ToArray();
                copy[i] = flipped;
                yield return copy;
            }
        }
    }

    private static byte[][] RandomLeaves(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var data = new byte[random.Next(0, 64)];
            random.NextBytes(data);
            return MerkleHash.HashLeaf(data);
        })];
    }
}
