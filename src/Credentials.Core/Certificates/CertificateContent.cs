using Credentials.V1;

namespace Credentials.Core.Certificates;

/// <summary>
/// A committee's decision for one applicant, validated and normalised: what a certificate says.
/// <see cref="DocumentNumber"/> is the holder's full number, held only in memory while issuing.
/// </summary>
public sealed record CertificateContent(
    string HolderName,
    DocumentType DocumentType,
    string DocumentNumber,
    string Series,
    string Specialty,
    TitleLevel Level,
    string TitleName,
    DateOnly ReviewMeetingDate,
    int ReviewYear,
    DateOnly QualificationDate,
    string ApprovalDocument)
{
    /// <summary>Never print the document number.</summary>
    public override string ToString() =>
        $"CertificateContent {{ HolderName = {HolderName}, Series = {Series}, Specialty = {Specialty}, Level = {Level}, ReviewYear = {ReviewYear} }}";
}
