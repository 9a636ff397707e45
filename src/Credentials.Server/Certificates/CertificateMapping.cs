using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Store.Certificates;
using Credentials.V1;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Server.Certificates;

/// <summary>Stored certificates as the contract shows them, read from the signed document itself (the current one, if reissued).</summary>
public static class CertificateMapping
{
    public static Certificate ToProto(StoredCertificate stored)
    {
        var envelope = CertificateEvents.EnvelopeOf(LedgerEvent.Parser.ParseFrom(stored.DocumentEvent));
        var document = CertificateDocument.Parser.ParseFrom(envelope.Payload);
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
            Envelope = envelope,
            QrText = QrText.Encode(envelope),
            IssueTime = document.IssuedAt,
            IssuedBy = stored.IssuedBy,
            DocumentVersion = PayloadTypes.CertificateVersion(envelope.PayloadType) ?? 0,
        };
        if (stored.ReissuingEvent is not null)
        {
            certificate.ReissueTime = document.IssuedAt;
            certificate.IssueTime = CertificateEvents.DocumentOf(stored.IssuingEvent).IssuedAt;
        }
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
