using Credentials.Core.Identity;
using Credentials.Core.Time;
using Credentials.V1;
using Google.Protobuf.WellKnownTypes;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Core.Certificates;

/// <summary>
/// The signed content of a certificate (document version 2): a function of its public facts only. Nothing in it is
/// derived from the holder's document number beyond the masked form, so two holders of the same name and masked
/// number, given the same title by the same committee, get documents that differ only in number and issue time,
/// and no guess of an ID number can be tested against one. The full number is checked online, against the server's
/// keyed HMAC. Every document is built here, for issuance and for reissue alike.
/// </summary>
public static class CertificateDocuments
{
    public static CertificateDocument Create(string number, CertificateContent content, Committee committee, DateTimeOffset issuedAt, string keyId) => new()
    {
        Number = number,
        HolderName = content.HolderName,
        HolderDocumentType = content.DocumentType,
        HolderDocumentMasked = IdentityDocument.Mask(content.DocumentNumber),
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

    /// <summary>
    /// The document of a certificate signed again (of any version): the same facts, signed at
    /// <paramref name="signedAt"/> by <paramref name="keyId"/>, without the version 1 digest and salt.
    /// </summary>
    public static CertificateDocument Reissue(CertificateDocument previous, DateTimeOffset signedAt, string keyId)
    {
        var document = previous.Clone();
        document.HolderDocumentDigest = Google.Protobuf.ByteString.Empty;
        document.HolderDocumentSalt = Google.Protobuf.ByteString.Empty;
        document.IssuedAt = Timestamp.FromDateTimeOffset(signedAt);
        document.KeyId = keyId;
        return document;
    }

    /// <summary>Null when a document of <paramref name="version"/> has the fields of its version only; otherwise what is wrong.</summary>
    public static string? VersionProblem(CertificateDocument document, int version) =>
        version >= 2 && (!document.HolderDocumentDigest.IsEmpty || !document.HolderDocumentSalt.IsEmpty)
            ? "A version 2 document carries no holder digest or salt."
            : null;
}
