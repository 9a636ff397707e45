using System.Security.Cryptography;
using Credentials.Core.Identity;
using Credentials.Core.Time;
using Credentials.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Core.Certificates;

/// <summary>The signed content of a certificate: what it says, with the holder's number only masked and as a salted digest.</summary>
public static class CertificateDocuments
{
    public const int SaltLength = 16;

    public static CertificateDocument Create(string number, CertificateContent content, Committee committee, DateTimeOffset issuedAt, string keyId)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        return new CertificateDocument
        {
            Number = number,
            HolderName = content.HolderName,
            HolderDocumentType = content.DocumentType,
            HolderDocumentMasked = IdentityDocument.Mask(content.DocumentNumber),
            HolderDocumentDigest = ByteString.CopyFrom(HolderDigests.Salted(salt, content.DocumentNumber)),
            HolderDocumentSalt = ByteString.CopyFrom(salt),
            Series = content.Series,
            Specialty = content.Specialty,
            Level = content.Level,
            TitleName = content.TitleName,
            CommitteeCode = committee.Code,
            CommitteeName = committee.Name,
            ReviewYear = content.ReviewYear,
            ReviewMeetingDate = Dates.ToProto(content.ReviewMeetingDate),
            QualificationDate = Dates.ToProto(content.QualificationDate),
            ApprovalDocument = content.ApprovalDocument,
            IssuedAt = Timestamp.FromDateTimeOffset(issuedAt),
            KeyId = keyId,
        };
    }

    /// <summary>Whether <paramref name="normalizedNumber"/> is the document the certificate names (constant time).</summary>
    public static bool HolderDocumentMatches(CertificateDocument document, string normalizedNumber) =>
        CryptographicOperations.FixedTimeEquals(
            HolderDigests.Salted(document.HolderDocumentSalt.Span, normalizedNumber),
            document.HolderDocumentDigest.Span);
}
