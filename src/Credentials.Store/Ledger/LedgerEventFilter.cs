namespace Credentials.Store.Ledger;

/// <summary>Which events a stream wants: event types (ledger_events.type, the LedgerEvent change field number; empty for all), a committee, a review year.</summary>
public sealed record LedgerEventFilter(IReadOnlyList<int> Types, string? CommitteeCode, int? ReviewYear)
{
    public static LedgerEventFilter All { get; } = new([], null, null);
}
