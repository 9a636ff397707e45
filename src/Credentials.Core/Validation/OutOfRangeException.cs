namespace Credentials.Core.Validation;

/// <summary>
/// A position past the end of something that grows (OUT_OF_RANGE): a tree size or leaf index beyond the
/// current ledger. Unlike INVALID_ARGUMENT, the same request may succeed later. <see cref="Field"/> names the
/// request field, <see cref="Limit"/> the current end.
/// </summary>
public sealed class OutOfRangeException(string reason, string field, string message, long limit) : DomainException(message)
{
    /// <summary>UPPER_SNAKE_CASE, e.g. BEYOND_TREE_SIZE.</summary>
    public string Reason { get; } = reason;

    public string Field { get; } = field;

    public long Limit { get; } = limit;
}
