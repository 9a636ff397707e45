using Credentials.Core.Committees;
using Credentials.Core.Identity;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.V1;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Core.Certificates;

/// <summary>
/// The rules a certificate must meet: well-formed fields (INVALID_ARGUMENT), and the issuing
/// committee's state and accredited scope on the review date (FAILED_PRECONDITION).
/// Sources: Liaoning 2024 (八) 按照核准备案的评审范围、专业领域、评审层级; Shanxi 2024 三(二)
/// 不得跨年度评审; DESIGN.md.
/// </summary>
public static class IssuanceRules
{
    /// <summary>Validates and normalises a spec; adds a violation per bad field (paths under <paramref name="prefix"/>).</summary>
    public static CertificateContent? Validate(CertificateSpec? spec, string prefix, DateOnly today, Violations violations)
    {
        if (spec is null)
        {
            violations.Add(prefix.TrimEnd('.'), "is required");
            return null;
        }
        var before = violations.Items.Count;
        var holder = spec.Holder ?? new Holder();
        var name = Text.Normalize(holder.Name);
        violations.AddIf(prefix + "holder.name", HolderName.Check(name));
        if (holder.DocumentType == DocumentType.Unspecified || !Enum.IsDefined(holder.DocumentType))
        {
            violations.Add(prefix + "holder.document_type", "must be a defined document type");
        }
        var number = IdentityDocument.Normalize(holder.DocumentNumber);
        if (holder.DocumentType != DocumentType.Unspecified && Enum.IsDefined(holder.DocumentType))
        {
            violations.AddIf(prefix + "holder.document_number", IdentityDocument.Check(holder.DocumentType, number, today));
        }
        var series = Text.Normalize(spec.Series);
        violations.AddIf(prefix + "series", Text.Check(series, 1, 50));
        var specialty = Text.Normalize(spec.Specialty);
        violations.AddIf(prefix + "specialty", Text.Check(specialty, 1, 50));
        if (spec.Level == TitleLevel.Unspecified || !Enum.IsDefined(spec.Level))
        {
            violations.Add(prefix + "level", "must be a defined title level");
        }
        var title = Text.Normalize(spec.TitleName);
        violations.AddIf(prefix + "title_name", Text.Check(title, 1, 50));
        var approval = Text.Normalize(spec.ApprovalDocument);
        violations.AddIf(prefix + "approval_document", Text.Check(approval, 1, 100));

        var meeting = Dates.ToDateOnly(spec.ReviewMeetingDate);
        if (meeting is null)
        {
            violations.Add(prefix + "review_meeting_date", "must be a valid date");
        }
        else if (meeting > today)
        {
            violations.Add(prefix + "review_meeting_date", "must not be in the future");
        }
        if (meeting is { } m && spec.ReviewYear != m.Year)
        {
            // 不得跨年度评审: the review year is the year of the meeting.
            violations.Add(prefix + "review_year", $"must equal the year of the review meeting ({m.Year})");
        }
        var qualification = Dates.ToDateOnly(spec.QualificationDate);
        if (qualification is null)
        {
            violations.Add(prefix + "qualification_date", "must be a valid date");
        }
        else if (qualification > today)
        {
            violations.Add(prefix + "qualification_date", "must not be in the future");
        }
        else if (meeting is { } mm && qualification < mm)
        {
            violations.Add(prefix + "qualification_date", "must not be before the review meeting");
        }

        return violations.Items.Count > before
            ? null
            : new CertificateContent(name, holder.DocumentType, number, series, specialty, spec.Level, title,
                meeting!.Value, spec.ReviewYear, qualification!.Value, approval);
    }

    /// <summary>
    /// Why this committee may not issue this content today: an empty list when it may. Reasons are
    /// UPPER_SNAKE_CASE codes for ErrorInfo.
    /// </summary>
    public static List<(string Reason, string Description)> CheckCommittee(Committee committee, CertificateContent content)
    {
        var problems = CheckCommitteeOn(committee, content.ReviewMeetingDate);
        if (problems.Count > 0 && problems[0].Reason is "COMMITTEE_SUSPENDED" or "COMMITTEE_WITHDRAWN")
        {
            return problems;
        }
        problems.AddRange(CheckScopeOn(committee, content.ReviewMeetingDate, content.Series, content.Specialty, content.Level));
        return problems;
    }

    /// <summary>
    /// Why the committee may not review (or issue) for a meeting on <paramref name="date"/>: suspended
    /// or withdrawn now, outside every accreditation window on that date (the date that matters: a
    /// renewal does not bridge a lapse, an expiry since does not undo an earlier review), or not
    /// active on it. Empty when it may. The one rule of a committee's standing, for certificates and
    /// review sessions alike.
    /// </summary>
    public static List<(string Reason, string Description)> CheckCommitteeOn(Committee committee, DateOnly date)
    {
        var problems = new List<(string, string)>();
        switch (committee.State)
        {
            case CommitteeState.Suspended:
                problems.Add(("COMMITTEE_SUSPENDED", $"Committee {committee.Code} is suspended (暂停评审) and issues nothing."));
                return problems;
            case CommitteeState.Withdrawn:
                problems.Add(("COMMITTEE_WITHDRAWN", $"Committee {committee.Code} has had its authority withdrawn (收回评审权)."));
                return problems;
        }
        if (!committee.IsAccreditedOn(date))
        {
            var windows = string.Join(", ", committee.Windows().Select(w => $"{Dates.ToIso(w.ValidFrom)} to {Dates.ToIso(w.ValidUntil)}"));
            problems.Add(("OUTSIDE_ACCREDITATION_WINDOW",
                $"The review meeting of {Dates.ToIso(date)} is outside the accreditation of committee {committee.Code} ({windows})."));
        }
        else if (committee.StateOn(date) != CommitteeState.Active)
        {
            problems.Add(("COMMITTEE_INACTIVE_ON_REVIEW_DATE",
                $"Committee {committee.Code} was not active on the review meeting date {Dates.ToIso(date)}."));
        }
        return problems;
    }

    /// <summary>
    /// Why a title of this series, specialty and level is outside the scope the committee was
    /// accredited for on <paramref name="date"/> (the scope in force then: a later change of scope
    /// neither widens nor narrows an earlier review). Empty when it is inside.
    /// </summary>
    public static List<(string Reason, string Description)> CheckScopeOn(Committee committee, DateOnly date, string series, string specialty, TitleLevel level)
    {
        var problems = new List<(string, string)>();
        var scope = committee.ScopeOn(date);
        var since = $"in the scope in force on {Dates.ToIso(date)} (from {Dates.ToIso(scope.EffectiveDate)})";
        if (!string.Equals(series, scope.Series, StringComparison.Ordinal))
        {
            problems.Add(("OUTSIDE_ACCREDITED_SCOPE", $"Series {series} is not the committee's series {scope.Series} {since}."));
        }
        if (!scope.Specialties.Contains(specialty, StringComparer.Ordinal))
        {
            problems.Add(("OUTSIDE_ACCREDITED_SCOPE", $"Specialty {specialty} is not accredited for committee {committee.Code} {since}."));
        }
        if (!scope.Levels.Contains(level))
        {
            problems.Add(("OUTSIDE_ACCREDITED_SCOPE", $"Level {level} is not accredited for committee {committee.Code} {since}."));
        }
        return problems;
    }
}
