using Credentials.Core.Certificates;
using Credentials.Core.Integrity;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Testing;
using Credentials.V1;

namespace Credentials.Core.Tests.Integrity;

public class MisconductRulesTests
{
    private static readonly DateOnly Today = new(2024, 12, 20);
    private static readonly string IdNumber = Samples.ResidentId(new DateOnly(1985, 6, 1), 17);
    private static readonly string Certificate = CertificateNumber.Format("DL-S01", 2024, 1);

    private static MisconductRecord Record() => new()
    {
        Subject = new Subject { Role = SubjectRole.Applicant, Name = "张伟", DocumentType = DocumentType.ResidentIdCard, DocumentNumber = IdNumber, Unit = "大连市建筑设计研究院" },
        Type = MisconductType.FalseMaterials,
        Facts = "申报材料中的业绩证明系伪造",
        DecisionDocument = "大人社发〔2024〕40号",
        DecidingBody = "大连市人力资源和社会保障局",
        DecisionDate = Dates.ToProto(new DateOnly(2024, 12, 18)),
        CertificateNumbers = { Certificate },
    };

    private static (MisconductContent? Content, List<string> Fields) Validate(MisconductRecord record)
    {
        var violations = new Violations();
        var content = MisconductRules.Validate(record, "record.", Today, violations);
        return (content, violations.Items.Select(v => v.Field).ToList());
    }

    [Fact]
    public void Validate_GoodRecord_NormalisesIt()
    {
        var record = Record();
        record.Subject.Name = " 张伟 ";
        record.Subject.DocumentNumber = IdNumber.ToLowerInvariant();
        record.CommitteeCode = " dl-s01 ";
        record.CertificateNumbers[0] = Certificate.ToLowerInvariant();

        var (content, fields) = Validate(record);

        Assert.Empty(fields);
        Assert.Equal(("张伟", IdNumber, "DL-S01", Certificate), (content!.Subject.Name, content.Subject.DocumentNumber, content.CommitteeCode, content.CertificateNumbers[0]));
        Assert.DoesNotContain(IdNumber, content.Subject.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EveryFieldInvalid_NamesEveryField()
    {
        var record = new MisconductRecord
        {
            Subject = new Subject { Role = (SubjectRole)9, Name = "张伟1", DocumentType = DocumentType.ResidentIdCard, DocumentNumber = "110105194912310021", Unit = "" },
            Type = (MisconductType)42,
            OtherType = "x",
            Facts = new string('事', 1001),
            DecisionDocument = "",
            DecidingBody = "\u0007",
            DecisionDate = new Google.Type.Date { Year = 2024, Month = 2, Day = 30 },
            CommitteeCode = "-DL",
            CertificateNumbers = { "DL-S01-2024-000001" },
        };

        var (content, fields) = Validate(record);

        Assert.Null(content);
        Assert.Equal(
        [
            "record.subject.role", "record.subject.name", "record.subject.document_number", "record.subject.unit", "record.type",
            "record.other_type", "record.facts", "record.decision_document", "record.deciding_body", "record.decision_date",
            "record.committee_code", "record.certificate_numbers", "record.certificate_numbers[0]",
        ], fields);
    }

    [Fact]
    public void Validate_MissingSubjectAndType_AreRequired()
    {
        var (_, fields) = Validate(new MisconductRecord());

        Assert.Equal(
        [
            "record.subject.role", "record.subject.name", "record.subject.document_type", "record.subject.unit", "record.type",
            "record.facts", "record.decision_document", "record.deciding_body", "record.decision_date",
        ], fields);
    }

    [Fact]
    public void Validate_DecisionInTheFuture_IsRefused()
    {
        var record = Record();
        record.DecisionDate = Dates.ToProto(Today.AddDays(1));

        Assert.Equal(["record.decision_date"], Validate(record).Fields);
    }

    [Fact]
    public void Validate_HistoricalDecision_IsAccepted()
    {
        // 历史信息归集: records collected from years back keep their own decision date.
        var record = Record();
        record.DecisionDate = Dates.ToProto(new DateOnly(2015, 6, 1));
        record.CertificateNumbers.Clear();

        Assert.Empty(Validate(record).Fields);
    }

    [Fact]
    public void Validate_TypeOfAnotherRole_IsRefused()
    {
        var record = Record();
        record.Subject.Role = SubjectRole.Expert;
        record.CertificateNumbers.Clear();

        Assert.Equal(["record.type"], Validate(record).Fields);
    }

    [Fact]
    public void Validate_OtherWithoutText_IsRefused()
    {
        var record = Record();
        record.Type = MisconductType.Other;
        record.CertificateNumbers.Clear();

        Assert.Equal(["record.other_type"], Validate(record).Fields);
        record.OtherType = "冒名顶替参评";
        Assert.Empty(Validate(record).Fields);
    }

    [Theory]
    [InlineData(SubjectRole.Applicant, MisconductType.ForgedCertificate)]
    [InlineData(SubjectRole.Expert, MisconductType.ReviewDisciplineBreach)]
    public void Validate_CertificatesWithoutApplicantFraud_AreRefused(SubjectRole role, MisconductType type)
    {
        var record = Record();
        record.Subject.Role = role;
        record.Type = type;

        Assert.Equal(["record.certificate_numbers"], Validate(record).Fields);
    }

    [Fact]
    public void Validate_CertificateTwiceOrTooMany_IsRefused()
    {
        var twice = Record();
        twice.CertificateNumbers.Add(Certificate);
        var many = Record();
        many.CertificateNumbers.Clear();
        many.CertificateNumbers.Add(Enumerable.Range(1, MisconductRules.MaxCertificates + 1).Select(i => CertificateNumber.Format("DL-S01", 2024, i)));

        Assert.Equal(["record.certificate_numbers[1]"], Validate(twice).Fields);
        Assert.Equal(["record.certificate_numbers"], Validate(many).Fields);
    }

    [Fact]
    public void ValidateRescission_EmptyDate_IsToday()
    {
        var violations = new Violations();

        var (rescission, date) = MisconductRules.ValidateRescission(
            new Rescission { Reason = " 复核撤销原认定 ", DecisionDocument = "大人社函〔2025〕3号" }, Today, "rescission.", violations);

        Assert.Empty(violations.Items);
        Assert.Equal(("复核撤销原认定", Today), (rescission.Reason, date));
    }

    [Fact]
    public void ValidateRescission_EveryFieldInvalid_NamesEveryField()
    {
        var violations = new Violations();

        MisconductRules.ValidateRescission(new Rescission { Reason = "", DecisionDocument = new string('号', 101), DecisionDate = Dates.ToProto(Today.AddDays(1)) },
            Today, "rescission.", violations);

        Assert.Equal(["rescission.reason", "rescission.decision_document", "rescission.decision_date"], violations.Items.Select(v => v.Field));
    }

    [Fact]
    public void ValidateFinding_Fraud_NormalisesIt()
    {
        var violations = new Violations();

        var finding = MisconductRules.ValidateFinding(RevocationReason.Plagiarism,
            new FraudFinding { Unit = " 大连理工大学 ", Facts = "论文剽窃", DecidingBody = "大连市人力资源和社会保障局" }, "misconduct.", violations);

        Assert.Empty(violations.Items);
        Assert.Equal(new MisconductFinding("大连理工大学", "论文剽窃", "大连市人力资源和社会保障局"), finding);
    }

    [Fact]
    public void ValidateFinding_FraudWithoutIt_NamesEveryField()
    {
        var violations = new Violations();

        var finding = MisconductRules.ValidateFinding(RevocationReason.FalseMaterials, null, "misconduct.", violations);

        Assert.Null(finding);
        Assert.Equal(["misconduct.unit", "misconduct.facts", "misconduct.deciding_body"], violations.Items.Select(v => v.Field));
    }

    [Theory]
    [InlineData(RevocationReason.IssuedInError)]
    [InlineData(RevocationReason.Other)]
    public void ValidateFinding_NotFraud_RecordsNothingAndRefusesOne(RevocationReason reason)
    {
        var none = new Violations();
        var given = new Violations();

        Assert.Null(MisconductRules.ValidateFinding(reason, null, "misconduct.", none));
        Assert.Null(MisconductRules.ValidateFinding(reason, new FraudFinding { Facts = "x" }, "misconduct.", given));

        Assert.Empty(none.Items);
        Assert.Equal("misconduct", Assert.Single(given.Items).Field);
    }
}
