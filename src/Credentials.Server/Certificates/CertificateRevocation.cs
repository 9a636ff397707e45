using Credentials.Core.Certificates;
using Credentials.Core.Integrity;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Store.Certificates;
using Credentials.Store.Writing;
using Credentials.V1;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Server.Certificates;

/// <summary>撤销职称: validating a revocation, and storing it with its ledger event inside a write.</summary>
public static class CertificateRevocation
{
    /// <summary>A normalised copy of the request's revocation; violations are named under <paramref name="prefix"/>.</summary>
    public static (Revocation Revocation, DateOnly EffectiveDate) Validate(Revocation? requested, DateOnly today, string prefix, Violations violations)
    {
        requested ??= new Revocation();
        var revocation = new Revocation
        {
            Reason = requested.Reason,
            Details = Text.Normalize(requested.Details),
            DecisionDocument = Text.Normalize(requested.DecisionDocument),
        };
        if (revocation.Reason == RevocationReason.Unspecified || !System.Enum.IsDefined(revocation.Reason))
        {
            violations.Add(prefix + "reason", "must be a defined revocation reason");
        }
        violations.AddIf(prefix + "details", Text.Check(revocation.Details, revocation.Reason == RevocationReason.Other ? 1 : 0, 500));
        violations.AddIf(prefix + "decision_document", Text.Check(revocation.DecisionDocument, 1, 100));
        var effective = Dates.IsEmpty(requested.EffectiveDate) ? today : Dates.ToDateOnly(requested.EffectiveDate);
        if (effective is null)
        {
            violations.Add(prefix + "effective_date", "must be a valid date");
        }
        else if (effective > today)
        {
            violations.Add(prefix + "effective_date", "must not be in the future");
        }
        return (revocation, effective ?? today);
    }

    /// <summary>
    /// Revokes inside <paramref name="tx"/>: final, once; NOT_FOUND or FAILED_PRECONDITION otherwise.
    /// <paramref name="effectiveDateField"/> is the request field blamed when the date is before the qualification date.
    /// </summary>
    public static StoredCertificate Revoke(WriteTransaction tx, string number, Revocation revocation, DateOnly effectiveDate, string actor, string effectiveDateField)
    {
        if (MisconductTypes.ForRevocation(revocation.Reason) is not null && revocation.MisconductRecordId.Length == 0)
        {
            // A revocation for fraud always has its misconduct record: MisconductRecorder makes both.
            throw new InvalidOperationException("A revocation for fraud is made with its misconduct record (MisconductRecorder.RevokeForFraud).");
        }
        var stored = CheckRevocable(tx, number, effectiveDate, effectiveDateField);
        var recorded = revocation.Clone();
        recorded.EffectiveDate = Dates.ToProto(effectiveDate);
        recorded.RecordTime = Timestamp.FromDateTimeOffset(tx.Now);
        recorded.RecordedBy = actor;
        var sequence = tx.Ledger.Append(new LedgerEvent
        {
            CommitteeCode = stored.CommitteeCode,
            ReviewYear = stored.ReviewYear,
            CertificateRevoked = new CertificateRevoked { Number = number, Revocation = recorded },
        }, actor);
        CertificateRepository.InsertRevocation(tx.Connection, tx.Transaction, number, recorded, Dates.ToIso(effectiveDate), tx.Now, actor, sequence);
        return stored;
    }

    /// <summary>
    /// Throws unless the certificate exists, is not revoked and was qualified by <paramref name="effectiveDate"/>:
    /// for a write that revokes it, before it writes anything else.
    /// </summary>
    public static StoredCertificate CheckRevocable(WriteTransaction tx, string number, DateOnly effectiveDate, string effectiveDateField)
    {
        var stored = CertificateRepository.Get(tx.Connection, number, tx.Transaction) ?? throw new NotFoundException("certificate", number);
        if (stored.Revocation is not null)
        {
            throw new RuleViolationException("CERTIFICATE_ALREADY_REVOKED", $"Certificate {number} was revoked already; revocation is final.",
                new Dictionary<string, string> { ["number"] = number });
        }
        var document = CertificateEvents.DocumentOf(stored.DocumentEvent);
        if (Dates.ToDateOnly(document.QualificationDate) is { } qualified && effectiveDate < qualified)
        {
            throw new InvalidRequestException(effectiveDateField, $"must not be before the qualification date {Dates.ToIso(qualified)} of certificate {number}");
        }
        return stored;
    }
}
