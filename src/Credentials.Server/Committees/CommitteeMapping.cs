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
}
