using Credentials.Core.Committees;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.V1;
using Google.Protobuf.WellKnownTypes;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Server.Committees;

/// <summary>Committees between the contract and the domain.</summary>
public static class CommitteeMapping
{
    /// <summary>
    /// The committee as read on <paramref name="today"/>: the window in force (or the latest), the
    /// accreditation status, and the whole history of windows and scopes.
    /// </summary>
    public static V1.Committee ToProto(Committee committee, DateOnly today)
    {
        var proto = ToProto(committee);
        var window = committee.WindowOn(today) ?? committee.Windows()[^1];
        proto.AccreditedFrom = Dates.ToProto(window.ValidFrom);
        proto.AccreditedUntil = Dates.ToProto(window.ValidUntil);
        proto.AccreditationStatus = committee.AccreditationOn(today);
        proto.Accreditations.AddRange(committee.Windows().Select(ToProto));
        proto.ScopeHistory.AddRange(committee.ScopeHistory().Select(ToProto));
        return proto;
    }

    /// <summary>The committee as its CommitteeAccredited event keeps it: nothing computed on a date, no history.</summary>
    public static V1.Committee ToProto(Committee committee)
    {
        var proto = new V1.Committee
        {
            Code = committee.Code,
            Name = committee.Name,
            Organizer = committee.Organizer,
            Region = committee.Region,
            Series = committee.Series,
            AccreditedFrom = Dates.ToProto(committee.AccreditedFrom),
            AccreditedUntil = Dates.ToProto(committee.AccreditedUntil),
            State = committee.State,
            MeetingSchedule = committee.MeetingSchedule,
            CreateTime = Timestamp.FromDateTimeOffset(committee.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(committee.UpdatedAt),
        };
        proto.Specialties.AddRange(committee.Specialties);
        proto.Levels.AddRange(committee.Levels);
        if (committee.LastStateChange is { } change)
        {
            proto.LastStateChange = ToProto(change);
        }
        return proto;
    }

    public static StateChange ToProto(CommitteeStateChange change) => new()
    {
        State = change.State,
        Reason = change.Reason,
        DecisionDocument = change.DecisionDocument,
        EffectiveDate = Dates.ToProto(change.EffectiveDate),
        RecordTime = Timestamp.FromDateTimeOffset(change.RecordedAt),
        RecordedBy = change.RecordedBy,
    };

    public static Accreditation ToProto(AccreditationWindow window) => new()
    {
        ValidFrom = Dates.ToProto(window.ValidFrom),
        ValidUntil = Dates.ToProto(window.ValidUntil),
        DecisionDocument = window.DecisionDocument,
        RecordTime = Timestamp.FromDateTimeOffset(window.RecordedAt),
        RecordedBy = window.RecordedBy,
    };

    public static CommitteeScope ToProto(AccreditedScope scope)
    {
        var proto = new CommitteeScope
        {
            Series = scope.Series,
            DecisionDocument = scope.DecisionDocument,
            EffectiveDate = Dates.ToProto(scope.EffectiveDate),
            RecordTime = Timestamp.FromDateTimeOffset(scope.RecordedAt),
            RecordedBy = scope.RecordedBy,
        };
        proto.Specialties.AddRange(scope.Specialties);
        proto.Levels.AddRange(scope.Levels);
        return proto;
    }

    /// <summary>A committee to accredit from a request: normalised, validated, ACTIVE.</summary>
    public static Committee FromProto(V1.Committee? proto, DateTimeOffset now, Violations violations)
    {
        proto ??= new V1.Committee();
        var from = Dates.ToDateOnly(proto.AccreditedFrom);
        var until = Dates.ToDateOnly(proto.AccreditedUntil);
        if (from is null)
        {
            violations.Add("committee.accredited_from", "must be a valid date");
        }
        if (until is null)
        {
            violations.Add("committee.accredited_until", "must be a valid date");
        }
        var committee = new Committee(
            CommitteeCode.Normalize(proto.Code),
            Text.Normalize(proto.Name),
            Text.Normalize(proto.Organizer),
            Text.Normalize(proto.Region),
            Text.Normalize(proto.Series),
            proto.Specialties.Select(Text.Normalize).ToList(),
            proto.Levels.ToList(),
            from ?? DateOnly.MinValue,
            until ?? DateOnly.MaxValue,
            CommitteeState.Active,
            Text.Normalize(proto.MeetingSchedule),
            [],
            now,
            now);
        CommitteeRules.Validate(committee, violations);
        return committee;
    }

    /// <summary>A new scope from a request (fields under "scope."): normalised and validated; effective today when left empty.</summary>
    public static AccreditedScope ScopeFromProto(CommitteeScope? proto, DateOnly today, Violations violations)
    {
        proto ??= new CommitteeScope();
        var series = Text.Normalize(proto.Series);
        var specialties = proto.Specialties.Select(Text.Normalize).ToList();
        var levels = proto.Levels.ToList();
        CommitteeRules.ValidateScope(series, specialties, levels, violations, "scope.");
        var document = Text.Normalize(proto.DecisionDocument);
        violations.AddIf("scope.decision_document", Text.Check(document, 1, 100));
        var effective = Dates.IsEmpty(proto.EffectiveDate) ? today : Dates.ToDateOnly(proto.EffectiveDate);
        if (effective is null)
        {
            violations.Add("scope.effective_date", "must be a valid date");
        }
        else if (effective > today)
        {
            violations.Add("scope.effective_date", "must not be in the future");
        }
        return new AccreditedScope(series, specialties, levels, document, effective ?? today, default, "");
    }

    /// <summary>
    /// A renewal from a request (fields under "accreditation."): its decision document, its last day,
    /// and its first day if given (null: <see cref="AccreditationRules.DefaultRenewalStart"/>, which
    /// needs the committee).
    /// </summary>
    public static (string Document, DateOnly? From, DateOnly Until) RenewalFromProto(Accreditation? proto, Violations violations)
    {
        proto ??= new Accreditation();
        var document = Text.Normalize(proto.DecisionDocument);
        violations.AddIf("accreditation.decision_document", Text.Check(document, 1, 100));
        DateOnly? from = null;
        if (!Dates.IsEmpty(proto.ValidFrom))
        {
            from = Dates.ToDateOnly(proto.ValidFrom);
            if (from is null)
            {
                violations.Add("accreditation.valid_from", "must be a valid date");
            }
        }
        var until = Dates.ToDateOnly(proto.ValidUntil);
        if (until is null)
        {
            violations.Add("accreditation.valid_until", "must be a valid date");
        }
        else if (from is { } f && until < f)
        {
            violations.Add("accreditation.valid_until", "must not be before accreditation.valid_from");
        }
        return (document, from, until ?? DateOnly.MinValue);
    }
}
