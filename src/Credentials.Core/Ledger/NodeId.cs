namespace Credentials.Core.Ledger;

/// <summary>
/// A complete (perfect) subtree of the log: the node at <paramref name="Level"/> (0 = leaf) and position
/// <paramref name="Index"/> within that level, covering leaves [Index * 2^Level, (Index + 1) * 2^Level).
/// Once written its hash never changes, which is why the store keeps exactly these nodes.
/// </summary>
public readonly record struct NodeId(int Level, long Index)
{
    /// <summary>First leaf covered.</summary>
    public long Begin => Index << Level;

    /// <summary>One past the last leaf covered.</summary>
    public long End => (Index + 1) << Level;

    public override string ToString() => $"({Level}, {Index})";
}
