using Credentials.V1;

namespace Credentials.Core.Committees;

/// <summary>
/// A review committee (评审委员会) and the scope the authority accredited (核准备案).
/// <see cref="Series"/>, <see cref="Specialties"/> and <see cref="Levels"/> are the scope in force
/// (the last of <see cref="ScopeHistory"/>); <see cref="AccreditedFrom"/> and
/// <see cref="AccreditedUntil"/> the latest window (the last of <see cref="Windows"/>). Earlier
/// scopes and windows stay: a review is judged by those in force on its meeting date.
/// </summary>
public sealed record Committee(
    string Code,
    string Name,
    string Organizer,
    string Region,
    string Series,
    IReadOnlyList<string> Specialties,
    IReadOnlyList<TitleLevel> Levels,
    DateOnly AccreditedFrom,
    DateOnly AccreditedUntil,
    CommitteeState State,
    string MeetingSchedule,
    IReadOnlyList<CommitteeStateChange> History,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Every accreditation window as stored, in the order recorded; empty for a committee not stored yet.</summary>
    public IReadOnlyList<AccreditationWindow> Accreditations { get; init; } = [];

    /// <summary>Every accredited scope as stored, in the order recorded; empty for a committee not stored yet.</summary>
    public IReadOnlyList<AccreditedScope> Scopes { get; init; } = [];

    public CommitteeStateChange? LastStateChange => History.Count == 0 ? null : History[^1];

    /// <summary>The accreditation windows in the order recorded; a committee not stored yet has the one it was created with.</summary>
    public IReadOnlyList<AccreditationWindow> Windows() =>
        Accreditations.Count > 0 ? Accreditations : [new AccreditationWindow(AccreditedFrom, AccreditedUntil, "", CreatedAt, "")];

    /// <summary>The scopes in the order recorded; a committee not stored yet has the one it was created with, in force from <see cref="AccreditedFrom"/>.</summary>
    public IReadOnlyList<AccreditedScope> ScopeHistory() =>
        Scopes.Count > 0 ? Scopes : [new AccreditedScope(Series, Specialties, Levels, "", AccreditedFrom, CreatedAt, "")];

    /// <summary>
    /// The state in force on a date: the last change effective on or before it, or ACTIVE if
    /// none. Withdrawal is final from its effective date on.
    /// </summary>
    public CommitteeState StateOn(DateOnly date)
    {
        var state = CommitteeState.Active;
        foreach (var change in History.OrderBy(h => h.EffectiveDate).ThenBy(h => h.RecordedAt))
        {
            if (change.EffectiveDate > date)
            {
                break;
            }
            state = change.State;
        }
        return state;
    }

    /// <summary>Whether one of the accreditation windows covers the date.</summary>
    public bool IsAccreditedOn(DateOnly date) => Windows().Any(w => w.Covers(date));

    /// <summary>The window in force on a date (the one that began last, where a renewal overlaps), or null.</summary>
    public AccreditationWindow? WindowOn(DateOnly date) => Windows().Where(w => w.Covers(date)).MaxBy(w => w.ValidFrom);

    /// <summary>Whether the accreditation is in force on a date, expired, or not begun: computed, never stored.</summary>
    public AccreditationStatus AccreditationOn(DateOnly date) =>
        IsAccreditedOn(date) ? AccreditationStatus.Valid
        : Windows().All(w => w.ValidFrom > date) ? AccreditationStatus.NotYetValid
        : AccreditationStatus.Expired;

    /// <summary>
    /// The scope in force on a date: the last one effective on or before it (effective dates
    /// never go backwards, see <see cref="CommitteeRules.CheckScopeUpdate"/>); before the first,
    /// the first.
    /// </summary>
    public AccreditedScope ScopeOn(DateOnly date)
    {
        var scopes = ScopeHistory();
        return scopes.LastOrDefault(s => s.EffectiveDate <= date) ?? scopes[0];
    }
}

/// <summary>A suspension (暂停评审), restoration or withdrawal of authority (收回评审权).</summary>
public sealed record CommitteeStateChange(
    CommitteeState State,
    string Reason,
    string DecisionDocument,
    DateOnly EffectiveDate,
    DateTimeOffset RecordedAt,
    string RecordedBy);
