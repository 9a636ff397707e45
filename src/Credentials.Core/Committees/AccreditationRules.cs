using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.V1;

namespace Credentials.Core.Committees;

/// <summary>
/// Accreditation (核准备案) over time: how long a filing is valid, what a renewal and a change of
/// scope must be (FAILED_PRECONDITION). The national rule (职称评审管理暂行规定) caps a filing's
/// validity at 3 years; the cap is the policy profile's <c>AccreditationMaxYears</c>.
/// </summary>
public static class AccreditationRules
{
    public const string TooLong = "ACCREDITATION_TOO_LONG";
    public const string RenewalNotLater = "RENEWAL_NOT_LATER";
    public const string ScopeUnchanged = "SCOPE_UNCHANGED";
    public const string ScopeChangeBeforeCurrentScope = "SCOPE_CHANGE_BEFORE_CURRENT_SCOPE";
    public const string CommitteeWithdrawn = "COMMITTEE_WITHDRAWN";

    /// <summary>
    /// The last day a window that begins on <paramref name="from"/> may reach: the day before the
    /// same date <paramref name="years"/> later (2024-01-01 for 3 years: through 2026-12-31; a window
    /// from 29 February ends on the 28th, the anniversary being 1 March in a common year).
    /// </summary>
    public static DateOnly LastDay(DateOnly from, int years)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(years, 1);
        var anniversary = from.AddYears(years);
        if (from is { Month: 2, Day: 29 } && anniversary.Day == 28)
        {
            anniversary = anniversary.AddDays(1);
        }
        return anniversary.AddDays(-1);
    }

    /// <summary>Refuses a window longer than <paramref name="maxYears"/> (ACCREDITATION_TOO_LONG).</summary>
    public static void CheckValidity(string code, DateOnly from, DateOnly until, int maxYears)
    {
        var last = LastDay(from, maxYears);
        if (until > last)
        {
            throw new RuleViolationException(TooLong,
                $"An accreditation (核准备案) is valid for at most {maxYears} years: from {Dates.ToIso(from)} through {Dates.ToIso(last)} at the latest, not {Dates.ToIso(until)}.",
                new Dictionary<string, string>
                {
                    ["committee_code"] = code,
                    ["max_years"] = maxYears.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["latest_valid_until"] = Dates.ToIso(last),
                });
        }
    }

    /// <summary>Where a renewal begins when the request leaves it open: the day after the latest window, or today if that day has passed.</summary>
    public static DateOnly DefaultRenewalStart(Committee committee, DateOnly today)
    {
        var next = committee.Windows()[^1].ValidUntil.AddDays(1);
        return next > today ? next : today;
    }

    /// <summary>
    /// Refuses a renewal of a withdrawn committee, one that does not begin and end after the latest
    /// window (RENEWAL_NOT_LATER: that would rewrite a window, not renew it), or one that is too long.
    /// </summary>
    public static void CheckRenewal(Committee committee, DateOnly from, DateOnly until, int maxYears)
    {
        CheckNotWithdrawn(committee);
        var latest = committee.Windows()[^1];
        if (from <= latest.ValidFrom || until <= latest.ValidUntil)
        {
            throw new RuleViolationException(RenewalNotLater,
                $"A renewal must begin after {Dates.ToIso(latest.ValidFrom)} and end after {Dates.ToIso(latest.ValidUntil)}, the latest accreditation window of committee {committee.Code}.",
                new Dictionary<string, string>
                {
                    ["committee_code"] = committee.Code,
                    ["latest_valid_from"] = Dates.ToIso(latest.ValidFrom),
                    ["latest_valid_until"] = Dates.ToIso(latest.ValidUntil),
                });
        }
        CheckValidity(committee.Code, from, until, maxYears);
    }

    /// <summary>
    /// Refuses a change of scope of a withdrawn committee, one effective before the scope in force
    /// (history is appended in date order, so the scope on any date is well defined), or one that
    /// changes nothing.
    /// </summary>
    public static void CheckScopeUpdate(Committee committee, AccreditedScope scope)
    {
        CheckNotWithdrawn(committee);
        var current = committee.ScopeHistory()[^1];
        if (scope.EffectiveDate < current.EffectiveDate)
        {
            throw new RuleViolationException(ScopeChangeBeforeCurrentScope,
                $"The scope of committee {committee.Code} in force is effective from {Dates.ToIso(current.EffectiveDate)}; a new scope cannot take effect before it.",
                new Dictionary<string, string> { ["committee_code"] = committee.Code, ["current_effective_date"] = Dates.ToIso(current.EffectiveDate) });
        }
        if (scope.Accredits(current))
        {
            throw new RuleViolationException(ScopeUnchanged,
                $"Committee {committee.Code} is accredited for this series, these specialties and levels already.",
                new Dictionary<string, string> { ["committee_code"] = committee.Code });
        }
    }

    private static void CheckNotWithdrawn(Committee committee)
    {
        if (committee.State == CommitteeState.Withdrawn)
        {
            throw new RuleViolationException(CommitteeWithdrawn,
                $"Committee {committee.Code} has had its authority withdrawn (收回评审权); that is final.",
                new Dictionary<string, string> { ["committee_code"] = committee.Code });
        }
    }
}
