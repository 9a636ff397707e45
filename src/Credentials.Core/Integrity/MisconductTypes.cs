using Credentials.V1;

namespace Credentials.Core.Integrity;

/// <summary>Which misconduct fits which subject, and which revokes the titles it names.</summary>
public static class MisconductTypes
{
    /// <summary>
    /// Applicant fraud (申报人弄虚作假): a title obtained this way is revoked (撤销职称), Shanxi 2024
    /// 四(三), Liaoning 2024 (八); 职称评审管理暂行规定 第四十一条 names false materials, plagiarism
    /// and other improper means; an untrue declaration under the commitment system is one of the latter.
    /// </summary>
    public static bool IsApplicantFraud(MisconductType type) =>
        type is MisconductType.FalseMaterials or MisconductType.Plagiarism or MisconductType.ImproperMeans or MisconductType.UntrueDeclaration;

    /// <summary>Whether <paramref name="type"/> is misconduct a subject in <paramref name="role"/> can commit.</summary>
    public static bool Fits(MisconductType type, SubjectRole role) => type switch
    {
        _ when IsApplicantFraud(type) => role == SubjectRole.Applicant,
        MisconductType.ReviewDisciplineBreach => role is SubjectRole.Expert or SubjectRole.Staff,
        MisconductType.StaffMisconduct => role == SubjectRole.Staff,
        MisconductType.ForgedCertificate or MisconductType.Other => role is SubjectRole.Applicant or SubjectRole.Expert or SubjectRole.Staff,
        _ => false,
    };

    /// <summary>
    /// The revocation reason of a certificate obtained by applicant fraud. An untrue declaration is
    /// revoked as improper means (the legal ground of 第四十一条), with details that keep what it was.
    /// </summary>
    public static (RevocationReason Reason, string Details) Revocation(MisconductType type) => type switch
    {
        MisconductType.FalseMaterials => (RevocationReason.FalseMaterials, ""),
        MisconductType.Plagiarism => (RevocationReason.Plagiarism, ""),
        MisconductType.ImproperMeans => (RevocationReason.ImproperMeans, ""),
        MisconductType.UntrueDeclaration => (RevocationReason.ImproperMeans, "承诺不实（告知承诺制）"),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Only applicant fraud revokes certificates."),
    };

    /// <summary>
    /// The misconduct a revocation for fraud records (RevokeCertificate always records it), or null
    /// for a reason that is not fraud: the inverse of <see cref="Revocation"/>, except that an untrue
    /// declaration is recorded by RecordMisconduct only (its revocation reads as improper means).
    /// </summary>
    public static MisconductType? ForRevocation(RevocationReason reason) => reason switch
    {
        RevocationReason.FalseMaterials => MisconductType.FalseMaterials,
        RevocationReason.Plagiarism => MisconductType.Plagiarism,
        RevocationReason.ImproperMeans => MisconductType.ImproperMeans,
        _ => null,
    };
}
