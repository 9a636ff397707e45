using Credentials.Core.Time;
using Credentials.V1;

namespace Credentials.Core.Integrity;

/// <summary>
/// How long a misconduct record stays active (记录期限, 3 years by default: Shanxi 2024 四(四)).
/// Counted as the Civil Code counts periods in years (民法典 第二百零一条、第二百零二条): the
/// decision day itself is not counted, and the period ends at the end of the same calendar date N
/// years later, or of the month's last day when that date does not exist (29 February → 28
/// February). So a record is active from its decision date through that date inclusive and
/// expired from the next day. Everything here is computed from today's date when asked, never stored.
/// </summary>
public static class MisconductWindow
{
    /// <summary>The last day a record decided on <paramref name="decisionDate"/> is active.</summary>
    public static DateOnly ActiveUntil(DateOnly decisionDate, int years)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(years, 1);
        return ChinaCalendar.AddYears(decisionDate, years);
    }

    public static bool IsActive(DateOnly decisionDate, int years, DateOnly today) =>
        decisionDate <= today && today <= ActiveUntil(decisionDate, years);

    /// <summary>
    /// The earliest decision date whose record is still active on <paramref name="today"/>: a record
    /// decided on or after it (and not after today) is active. Lets the store filter by one
    /// comparison; around 29 February it is not simply today minus N years.
    /// </summary>
    public static DateOnly EarliestActiveDecision(DateOnly today, int years)
    {
        // today.AddYears(-years) is at most two days past the answer; step forward from below it.
        var date = today.AddYears(-years).AddDays(-2);
        while (ActiveUntil(date, years) < today)
        {
            date = date.AddDays(1);
        }
        return date;
    }

    public static MisconductState StateOn(DateOnly decisionDate, int years, bool rescinded, DateOnly today) =>
        rescinded ? MisconductState.Rescinded
        : IsActive(decisionDate, years, today) ? MisconductState.Active
        : MisconductState.Expired;
}
