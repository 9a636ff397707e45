using Credentials.V1;

namespace Credentials.Core.Verification;

/// <summary>What a verifier may learn of a certificate from its signed document (online and offline): never the full document number.</summary>
public static class VerifiedCertificates
{
    public static VerifiedCertificate FromDocument(CertificateDocument document) => new()
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
}
