using Credentials.Core.Envelopes;
using Credentials.Store.Certificates;
using Credentials.V1;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Server.Certificates;

/// <summary>Stored certificates as the contract shows them, read from the signed document itself.</summary>
public static class CertificateMapping
{
    public static Certificate ToProto(StoredCertificate stored)
    {
        var issued = LedgerEvent.Parser.ParseFrom(stored.IssuingEvent).CertificateIssued;
        var document = CertificateDocument.Parser.ParseFrom(issued.Envelope.Payload);
        var certificate = new Certificate
        {
            Number = stored.Number,
            CommitteeCode = document.CommitteeCode,
            CommitteeName = document.CommitteeName,
            Spec = new CertificateSpec
            {
                Holder = new Holder
                {
                    Name = document.HolderName,
                    DocumentType = document.HolderDocumentType,
                    DocumentMasked = document.HolderDocumentMasked,
                },
                Series = document.Series,
                Specialty = document.Specialty,
                Level = document.Level,
                TitleName = document.TitleName,
                ReviewMeetingDate = document.ReviewMeetingDate,
                ReviewYear = document.ReviewYear,
                QualificationDate = document.QualificationDate,
                ApprovalDocument = document.ApprovalDocument,
            },
            State = stored.Revocation is null ? CertificateState.Valid : CertificateState.Revoked,
            Envelope = issued.Envelope,
            QrText = QrText.Encode(issued.Envelope),
            IssueTime = document.IssuedAt,
            IssuedBy = stored.IssuedBy,
        };
        if (stored.Revocation is { } revocation)
        {
            certificate.Revocation = ToProto(revocation);
        }
        return certificate;
    }

    public static Revocation ToProto(StoredRevocation revocation) => new()
    {
        Reason = revocation.Reason,
        Details = revocation.Details,
        DecisionDocument = revocation.DecisionDocument,
        EffectiveDate = Core.Time.Dates.ToProto(Core.Time.Dates.FromIso(revocation.EffectiveDate)),
        RecordTime = Timestamp.FromDateTimeOffset(revocation.RecordedAt),
        RecordedBy = revocation.RecordedBy,
        MisconductRecordId = revocation.MisconductRecordId ?? "",
    };
}
