namespace Credentials.Core.Committees;

/// <summary>
/// One accreditation window (核准备案有效期), both days inclusive: the one a committee was
/// created with (no decision document), or a renewal.
/// </summary>
public sealed record AccreditationWindow(
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    string DecisionDocument,
    DateTimeOffset RecordedAt,
    string RecordedBy)
{
    public bool Covers(DateOnly date) => date >= ValidFrom && date <= ValidUntil;
}
