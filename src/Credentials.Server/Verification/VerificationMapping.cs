using Credentials.Core.Time;
using Credentials.V1;

namespace Credentials.Server.Verification;

/// <summary>What a verifier may learn of a certificate, read from its signed document: never the full document number.</summary>
public static class VerificationMapping
{
    public static VerifiedCertificate ToVerified(CertificateDocument document, int? revocationReason, string? revocationEffectiveDate)
    {
        var verified = new VerifiedCertificate
        {
            Number = document.Number,
            HolderName = document.HolderName,
            HolderDocumentType = document.HolderDocumentType,
            HolderDocumentMasked = document.HolderDocumentMasked,
            Series = document.Series,
            Specialty = document.Specialty,
            Level = document.Level,
            TitleName = document.TitleName,
            CommitteeCode = document.CommitteeCode,
            CommitteeName = document.CommitteeName,
            ReviewYear = document.ReviewYear,
            QualificationDate = document.QualificationDate,
            ApprovalDocument = document.ApprovalDocument,
            IssueTime = document.IssuedAt,
        };
        if (revocationReason is { } reason)
        {
            verified.Revocation = new RevocationSummary
            {
                Reason = (RevocationReason)reason,
                EffectiveDate = revocationEffectiveDate is { } date ? Dates.ToProto(Dates.FromIso(date)) : null,
            };
        }
        return verified;
    }
}
