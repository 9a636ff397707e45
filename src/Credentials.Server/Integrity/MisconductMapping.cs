using Credentials.Core.Integrity;
using Credentials.Core.Time;
using Credentials.Store.Integrity;
using Credentials.V1;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Server.Integrity;

/// <summary>Misconduct records between the domain, the ledger events that hold them, and the contract.</summary>
public static class MisconductMapping
{
    /// <summary>The record as its ledger event keeps it: the masked document only, nothing computed.</summary>
    public static MisconductRecord ToRecorded(string id, MisconductContent content, DateTimeOffset now, string actor)
    {
        var subject = content.Subject;
        var record = new MisconductRecord
        {
            Id = id,
            Subject = new Subject
            {
                Role = subject.Role,
                Name = subject.Name,
                DocumentType = subject.DocumentType,
                DocumentMasked = subject.DocumentMasked,
                Unit = subject.Unit,
            },
            Type = content.Type,
            OtherType = content.OtherType,
            Facts = content.Facts,
            DecisionDocument = content.DecisionDocument,
            DecidingBody = content.DecidingBody,
            DecisionDate = Dates.ToProto(content.DecisionDate),
            CommitteeCode = content.CommitteeCode,
            RecordTime = Timestamp.FromDateTimeOffset(now),
            RecordedBy = actor,
        };
        record.CertificateNumbers.AddRange(content.CertificateNumbers);
        return record;
    }

    /// <summary>A stored record with what is computed on <paramref name="today"/>: its last active day and its state.</summary>
    public static MisconductRecord ToProto(StoredMisconduct stored, int years, DateOnly today)
    {
        var record = LedgerEvent.Parser.ParseFrom(stored.RecordedEvent).MisconductRecorded.Record;
        record.ActiveUntil = Dates.ToProto(MisconductWindow.ActiveUntil(stored.DecisionDate, years));
        record.State = MisconductWindow.StateOn(stored.DecisionDate, years, stored.RescindedEvent is not null, today);
        if (stored.RescindedEvent is { } rescinded)
        {
            record.Rescission = LedgerEvent.Parser.ParseFrom(rescinded).MisconductRescinded.Rescission;
        }
        return record;
    }
}
