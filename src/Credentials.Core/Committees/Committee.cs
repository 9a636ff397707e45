using Credentials.V1;

namespace Credentials.Core.Committees;

/// <summary>A review committee (评审委员会) and the scope the authority accredited (核准备案).</summary>
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
    public CommitteeStateChange? LastStateChange => History.Count == 0 ? null : History[^1];

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

    public bool IsAccreditedOn(DateOnly date) => date >= AccreditedFrom && date <= AccreditedUntil;
}

/// <summary>A suspension (暂停评审), restoration or withdrawal of authority (收回评审权).</summary>
public sealed record CommitteeStateChange(
    CommitteeState State,
    string Reason,
    string DecisionDocument,
    DateOnly EffectiveDate,
    DateTimeOffset RecordedAt,
    string RecordedBy);
