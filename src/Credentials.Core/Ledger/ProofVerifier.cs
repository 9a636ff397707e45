using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Security.Cryptography;

namespace Credentials.Core.Ledger;

/// <summary>
/// Verification of RFC 9162 inclusion (section 2.1.3.2) and consistency (section 2.1.4.2) proofs. Never throws
/// for bad input: a malformed proof (wrong element size, too short or too long, sizes out of range) is simply
/// not a proof, so the answer is false.
/// </summary>
public static class ProofVerifier
{
    /// <summary>
    /// Whether <paramref name="proof"/> shows that the leaf with hash <paramref name="leafHash"/> is leaf
    /// <paramref name="leafIndex"/> of the tree of <paramref name="treeSize"/> leaves with root
    /// <paramref name="rootHash"/>. False whenever leafIndex &gt;= treeSize, so always false for size 0.
    /// </summary>
    public static bool VerifyInclusion(
        long leafIndex, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]>? proof, ReadOnlySpan<byte> rootHash)
    {
        if (leafIndex < 0 || leafIndex >= treeSize || !IsHash(leafHash) || !IsHash(rootHash) || !AreHashes(proof))
        {
            return false;
        }
        Span<byte> r = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(r);
        return Climb(leafIndex, treeSize - 1, proof, 0, r, Span<byte>.Empty)
            && CryptographicOperations.FixedTimeEquals(r, rootHash);
    }

    /// <summary>
    /// Whether <paramref name="proof"/> shows that the tree of <paramref name="oldSize"/> leaves with root
    /// <paramref name="oldRoot"/> is a prefix of the tree of <paramref name="newSize"/> leaves with root
    /// <paramref name="newRoot"/>. Edge cases: oldSize &gt; newSize is false; oldSize == newSize needs an empty
    /// proof and equal roots; oldSize == 0 needs an empty proof and <paramref name="oldRoot"/> equal to the
    /// empty-tree hash — it then says nothing about <paramref name="newRoot"/>, whose checkpoint signature and
    /// recomputation from the leaves (<see cref="CompactRange"/>) are the caller's to check.
    /// </summary>
    public static bool VerifyConsistency(
        long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]>? proof)
    {
        if (oldSize < 0 || oldSize > newSize || !IsHash(oldRoot) || !IsHash(newRoot) || !AreHashes(proof))
        {
            return false;
        }
        if (oldSize == 0)
        {
            return proof.Count == 0
                && CryptographicOperations.FixedTimeEquals(oldRoot, MerkleHash.EmptyRoot)
                && (newSize > 0 || CryptographicOperations.FixedTimeEquals(newRoot, MerkleHash.EmptyRoot));
        }
        if (oldSize == newSize)
        {
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(oldRoot, newRoot);
        }
        if (proof.Count == 0)
        {
            return false;
        }

        // When the old tree is a complete subtree the proof omits its hash: the verifier already has it.
        var oldIsComplete = BitOperations.IsPow2(oldSize);
        IReadOnlyList<byte[]> path = oldIsComplete ? [oldRoot.ToArray(), .. proof] : proof;
        var fn = oldSize - 1;
        var sn = newSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        Span<byte> fr = stackalloc byte[MerkleHash.Size];
        Span<byte> sr = stackalloc byte[MerkleHash.Size];
        path[0].CopyTo(fr);
        path[0].CopyTo(sr);
        return Climb(fn, sn, path, 1, sr, fr)
            & CryptographicOperations.FixedTimeEquals(fr, oldRoot)
            & CryptographicOperations.FixedTimeEquals(sr, newRoot);
    }

    /// <summary>
    /// The loop of §2.1.3.2 step 4 and §2.1.4.2 step 6, over <paramref name="path"/> from
    /// <paramref name="start"/>: every element is hashed into <paramref name="r"/> (r, or sr), and elements to
    /// the left also into <paramref name="left"/> (fr) unless it is empty. False when the path is longer than
    /// the sizes allow or leaves sn above 0 (too short).
    /// </summary>
    private static bool Climb(long fn, long sn, IReadOnlyList<byte[]> path, int start, Span<byte> r, Span<byte> left)
    {
        for (var i = start; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                if (!left.IsEmpty)
                {
                    MerkleHash.HashChildren(c, left, left);
                }
                MerkleHash.HashChildren(c, r, r);
                // "If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn) is set or fn is 0."
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.HashChildren(r, c, r);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0;
    }

    private static bool IsHash(ReadOnlySpan<byte> hash) => hash.Length == MerkleHash.Size;

    private static bool AreHashes([NotNullWhen(true)] IReadOnlyList<byte[]>? proof)
    {
        if (proof is null)
        {
            return false;
        }
        foreach (var hash in proof)
        {
            if (hash is null || !IsHash(hash))
            {
                return false;
            }
        }
        return true;
    }
}
