using System.Security.Cryptography;
using Credentials.Core.Certificates;
using Credentials.Core.Integrity;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Certificates;
using Credentials.Store.Certificates;
using Credentials.Store.Committees;
using Credentials.Store.Integrity;
using Credentials.Store.Writing;
using Credentials.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Server.Integrity;

/// <summary>Making and rescinding misconduct records inside a write, with their ledger events and consequences.</summary>
public static class MisconductRecorder
{
    /// <summary>
    /// Stores a record and its ledger event, and revokes the certificates it names with the same
    /// decision document (Shanxi 2024 四(三): 已取得职称的，撤销职称). Throws, so that nothing of the
    /// unit is written, when a named certificate is missing, not the subject's, or revoked already.
    /// </summary>
    public static string Record(WriteTransaction tx, MisconductContent content, byte[] subjectDigest, string actor) =>
        Record(tx, content, subjectDigest, actor, "", "record.decision_date");

    /// <summary>
    /// A revocation for fraud (RevokeCertificate with reason false materials, plagiarism or improper
    /// means): the holder's applicant record of that misconduct, naming the certificate, which
    /// <see cref="Record(WriteTransaction, MisconductContent, byte[], string)"/>'s path then revokes,
    /// so a fraud revocation and its record are always made together, once. The subject is the
    /// holder as the certificate names them (the document by its stored digest and masked form: the number is not at hand).
    /// </summary>
    public static string RevokeForFraud(WriteTransaction tx, string number, Revocation revocation, DateOnly effectiveDate,
        MisconductFinding finding, string actor)
    {
        var type = MisconductTypes.ForRevocation(revocation.Reason)
            ?? throw new ArgumentException($"{revocation.Reason} is not a revocation for fraud.", nameof(revocation));
        var stored = CertificateRepository.Get(tx.Connection, number, tx.Transaction) ?? throw new NotFoundException("certificate", number);
        var digest = CertificateRepository.HolderDigest(tx.Connection, number, tx.Transaction)!;
        var document = CertificateEvents.DocumentOf(stored.DocumentEvent);
        var subject = new MisconductSubject(SubjectRole.Applicant, document.HolderName, document.HolderDocumentType, "", finding.Unit)
        {
            DocumentMasked = document.HolderDocumentMasked,
        };
        var content = new MisconductContent(subject, type, "", finding.Facts, revocation.DecisionDocument, finding.DecidingBody, effectiveDate,
            stored.CommitteeCode, [number]);
        return Record(tx, content, digest, actor, revocation.Details, "revocation.effective_date");
    }

    /// <param name="revocationDetails">The details of the revocations it makes; empty: the type's (<see cref="MisconductTypes.Revocation"/>).</param>
    /// <param name="effectiveDateField">The request field blamed when the decision date is before a certificate's qualification date.</param>
    private static string Record(WriteTransaction tx, MisconductContent content, byte[] subjectDigest, string actor,
        string revocationDetails, string effectiveDateField)
    {
        if (content.CommitteeCode.Length > 0 && CommitteeRepository.Get(tx.Connection, content.CommitteeCode, tx.Transaction) is null)
        {
            throw new NotFoundException("committee", content.CommitteeCode);
        }
        for (var i = 0; i < content.CertificateNumbers.Count; i++)
        {
            var number = content.CertificateNumbers[i];
            var holder = CertificateRepository.HolderDigest(tx.Connection, number, tx.Transaction) ?? throw new NotFoundException("certificate", number);
            if (!CryptographicOperations.FixedTimeEquals(holder, subjectDigest))
            {
                throw new RuleViolationException("CERTIFICATE_HOLDER_MISMATCH",
                    $"Certificate {number} is held by someone else than the record's subject (another identity document); nothing was recorded.",
                    new Dictionary<string, string> { ["number"] = number, ["field"] = $"record.certificate_numbers[{i}]" });
            }
            // Refused before anything is written, so a refusal leaves the store as it was.
            CertificateRevocation.CheckRevocable(tx, number, content.DecisionDate, effectiveDateField);
        }

        var year = ChinaCalendar.DateOf(tx.Now).Year;
        var serial = IntegrityRepository.NextSerial(tx.Connection, tx.Transaction, year);
        if (serial > MisconductRecordId.MaxSerial)
        {
            throw new RuleViolationException("RECORD_IDS_EXHAUSTED", $"All {MisconductRecordId.MaxSerial} record ids of {year} are used.");
        }
        var id = MisconductRecordId.Format(year, serial);
        var sequence = tx.Ledger.Append(new LedgerEvent
        {
            CommitteeCode = content.CommitteeCode,
            MisconductRecorded = new MisconductRecorded
            {
                Record = MisconductMapping.ToRecorded(id, content, tx.Now, actor),
                SubjectPseudonym = ByteString.CopyFrom(subjectDigest),
            },
        }, actor);
        IntegrityRepository.Insert(tx.Connection, tx.Transaction, new MisconductRow(id, year, serial, subjectDigest, content.Subject.Role,
            content.Type, content.CommitteeCode, content.DecisionDate, sequence), content.CertificateNumbers);

        if (content.CertificateNumbers.Count > 0)
        {
            var (reason, details) = MisconductTypes.Revocation(content.Type);
            var revocation = new Revocation
            {
                Reason = reason,
                Details = revocationDetails.Length > 0 ? revocationDetails : details,
                DecisionDocument = content.DecisionDocument,
                MisconductRecordId = id,
            };
            foreach (var number in content.CertificateNumbers)
            {
                CertificateRevocation.Revoke(tx, number, revocation, content.DecisionDate, actor, effectiveDateField);
            }
        }
        return id;
    }

    /// <summary>Appends a rescission: final, once, not dated before the record's decision.</summary>
    public static void Rescind(WriteTransaction tx, string id, Rescission rescission, DateOnly decisionDate, string actor)
    {
        var stored = IntegrityRepository.Get(tx.Connection, id, tx.Transaction) ?? throw new NotFoundException("misconduct record", id);
        if (stored.RescindedEvent is not null)
        {
            throw new RuleViolationException("MISCONDUCT_ALREADY_RESCINDED", $"Record {id} was rescinded already; rescission is final.",
                new Dictionary<string, string> { ["record_id"] = id });
        }
        if (decisionDate < stored.DecisionDate)
        {
            throw new InvalidRequestException("rescission.decision_date", $"must not be before the record's decision date {Dates.ToIso(stored.DecisionDate)}");
        }
        var recorded = rescission.Clone();
        recorded.DecisionDate = Dates.ToProto(decisionDate);
        recorded.RecordTime = Timestamp.FromDateTimeOffset(tx.Now);
        recorded.RecordedBy = actor;
        var sequence = tx.Ledger.Append(new LedgerEvent
        {
            CommitteeCode = LedgerEvent.Parser.ParseFrom(stored.RecordedEvent).CommitteeCode,
            MisconductRescinded = new MisconductRescinded { RecordId = id, Rescission = recorded },
        }, actor);
        IntegrityRepository.InsertRescission(tx.Connection, tx.Transaction, id, decisionDate, sequence);
    }
}
