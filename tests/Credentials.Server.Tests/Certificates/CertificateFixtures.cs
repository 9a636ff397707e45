using Credentials.Core.Time;
using Credentials.Testing;
using Credentials.V1;

namespace Credentials.Server.Tests.Certificates;

/// <summary>Requests the certificate tests share: a 2024 senior engineering title of DL-S01.</summary>
internal static class CertificateFixtures
{
    public static string IdNumber(int person) => Samples.ResidentId(new DateOnly(1980, 1, 1).AddDays(person * 37), person % 1000);

    public static CertificateSpec Spec(int person = 1, string specialty = "建筑工程", string series = "工程系列", TitleLevel level = TitleLevel.DeputySenior) => new()
    {
        Holder = new Holder { Name = "张伟", DocumentType = DocumentType.ResidentIdCard, DocumentNumber = IdNumber(person) },
        Series = series,
        Specialty = specialty,
        Level = level,
        TitleName = "高级工程师",
        ReviewMeetingDate = Dates.ToProto(new DateOnly(2024, 10, 25)),
        ReviewYear = 2024,
        QualificationDate = Dates.ToProto(new DateOnly(2024, 12, 1)),
        ApprovalDocument = "大人社发〔2024〕15号",
    };

    public static IssueCertificateRequest Issue(string requestId, int person = 1, string committee = "DL-S01", string specialty = "建筑工程") =>
        new() { RequestId = requestId, CommitteeCode = committee, Spec = Spec(person, specialty) };

    /// <summary>What a revocation for fraud needs for the holder's misconduct record.</summary>
    public static FraudFinding Finding(string facts = "申报材料中的业绩证明系伪造，经核查属实") =>
        new() { Unit = "大连市建筑设计研究院", Facts = facts, DecidingBody = "大连市人力资源和社会保障局" };
}
