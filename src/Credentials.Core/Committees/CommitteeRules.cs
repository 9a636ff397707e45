using Credentials.Core.Validation;
using Credentials.V1;

namespace Credentials.Core.Committees;

/// <summary>What makes a committee well formed, and which changes of state are allowed.</summary>
public static class CommitteeRules
{
    public const int MaxSpecialties = 200;

    /// <summary>Checks a committee to accredit; field names are prefixed with <paramref name="prefix"/>.</summary>
    public static void Validate(Committee committee, Violations violations, string prefix = "committee.")
    {
        violations.AddIf(prefix + "code", CommitteeCode.Check(committee.Code));
        violations.AddIf(prefix + "name", Text.Check(committee.Name, 1, 100));
        violations.AddIf(prefix + "organizer", Text.Check(committee.Organizer, 1, 100));
        violations.AddIf(prefix + "region", Text.Check(committee.Region, 1, 50));
        violations.AddIf(prefix + "meeting_schedule", Text.Check(committee.MeetingSchedule, 0, 50));
        ValidateScope(committee.Series, committee.Specialties, committee.Levels, violations, prefix);
        if (committee.AccreditedUntil < committee.AccreditedFrom)
        {
            violations.Add(prefix + "accredited_until", "must not be before accredited_from");
        }
    }

    /// <summary>Checks a scope's series, specialties and levels; field names are prefixed with <paramref name="prefix"/>.</summary>
    public static void ValidateScope(string series, IReadOnlyList<string> specialties, IReadOnlyList<TitleLevel> levels, Violations violations, string prefix)
    {
        violations.AddIf(prefix + "series", Text.Check(series, 1, 50));
        if (specialties.Count is 0 or > MaxSpecialties)
        {
            violations.Add(prefix + "specialties", $"must have 1 to {MaxSpecialties} entries");
        }
        else
        {
            for (var i = 0; i < specialties.Count; i++)
            {
                violations.AddIf($"{prefix}specialties[{i}]", Text.Check(specialties[i], 1, 50));
            }
            if (specialties.Distinct(StringComparer.Ordinal).Count() != specialties.Count)
            {
                violations.Add(prefix + "specialties", "must be distinct");
            }
        }
        if (levels.Count is 0 or > 5)
        {
            violations.Add(prefix + "levels", "must have 1 to 5 entries");
        }
        else
        {
            for (var i = 0; i < levels.Count; i++)
            {
                if (!Enum.IsDefined(levels[i]) || levels[i] == TitleLevel.Unspecified)
                {
                    violations.Add($"{prefix}levels[{i}]", "must be a defined title level");
                }
            }
            if (levels.Distinct().Count() != levels.Count)
            {
                violations.Add(prefix + "levels", "must be distinct");
            }
        }
    }

    /// <summary>Throws when a committee in <paramref name="current"/> state cannot go to <paramref name="target"/>.</summary>
    public static void CheckTransition(string code, CommitteeState current, CommitteeState target)
    {
        if (current == CommitteeState.Withdrawn)
        {
            throw new RuleViolationException("COMMITTEE_WITHDRAWN",
                $"Committee {code} has had its authority withdrawn; that is final.", Meta(code));
        }
        if (target == CommitteeState.Suspended && current == CommitteeState.Suspended)
        {
            throw new RuleViolationException("COMMITTEE_ALREADY_SUSPENDED", $"Committee {code} is already suspended.", Meta(code));
        }
        if (target == CommitteeState.Active && current != CommitteeState.Suspended)
        {
            throw new RuleViolationException("COMMITTEE_NOT_SUSPENDED", $"Committee {code} is not suspended.", Meta(code));
        }
    }

    private static Dictionary<string, string> Meta(string code) => new() { ["committee_code"] = code };
}
