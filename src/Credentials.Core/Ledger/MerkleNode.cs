namespace Credentials.Core.Ledger;

/// <summary>A complete subtree and its hash: what a store persists.</summary>
public readonly record struct MerkleNode(NodeId Id, byte[] Hash);
