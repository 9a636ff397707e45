using Credentials.Core.Identity;
using Credentials.V1;

namespace Credentials.Core.Integrity;

/// <summary>
/// The person a record is about, validated and normalised. <see cref="DocumentNumber"/> is the
/// full number, held only in memory while the request is handled.
/// </summary>
public sealed record MisconductSubject(SubjectRole Role, string Name, DocumentType DocumentType, string DocumentNumber, string Unit)
{
    /// <summary>The number masked, as the record shows it: from <see cref="DocumentNumber"/>, or given when the number is not at hand (an applicant of a session).</summary>
    public string DocumentMasked { get; init; } = IdentityDocument.Mask(DocumentNumber);

    /// <summary>Never print the document number.</summary>
    public override string ToString() => $"MisconductSubject {{ Role = {Role}, Name = {Name}, Unit = {Unit} }}";
}

/// <summary>A misconduct record to make, validated and normalised.</summary>
public sealed record MisconductContent(
    MisconductSubject Subject,
    MisconductType Type,
    string OtherType,
    string Facts,
    string DecisionDocument,
    string DecidingBody,
    DateOnly DecisionDate,
    string CommitteeCode,
    IReadOnlyList<string> CertificateNumbers);

/// <summary>What a revocation for fraud adds for its misconduct record (RevokeCertificateRequest.misconduct), validated and normalised.</summary>
public sealed record MisconductFinding(string Unit, string Facts, string DecidingBody);
