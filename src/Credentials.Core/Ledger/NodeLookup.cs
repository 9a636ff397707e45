namespace Credentials.Core.Ledger;

/// <summary>Reads a fetched node hash, failing clearly when the store did not deliver it.</summary>
internal static class NodeLookup
{
    public static byte[] Get(IReadOnlyDictionary<NodeId, byte[]> hashes, NodeId id)
    {
        if (!hashes.TryGetValue(id, out var hash))
        {
            throw new InvalidOperationException($"ledger node {id} was not fetched");
        }
        if (hash is null || hash.Length != MerkleHash.Size)
        {
            throw new InvalidOperationException($"ledger node {id} is not a {MerkleHash.Size}-byte hash");
        }
        return hash;
    }
}
