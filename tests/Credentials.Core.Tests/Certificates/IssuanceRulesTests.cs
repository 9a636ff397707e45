using Credentials.Core.Certificates;
using Credentials.Core.Committees;
using Credentials.Core.Tests.Committees;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Testing;
using Credentials.V1;

namespace Credentials.Core.Tests.Certificates;

public class IssuanceRulesTests
{
    private static readonly DateOnly Today = new(2024, 12, 20);

    internal static CertificateSpec Spec() => new()
    {
        Holder = new Holder { Name = "张伟", DocumentType = DocumentType.ResidentIdCard, DocumentNumber = Samples.ResidentId(new DateOnly(1985, 6, 1), 17) },
        Series = "工程系列",
        Specialty = "建筑工程",
        Level = TitleLevel.DeputySenior,
        TitleName = "高级工程师",
        ReviewMeetingDate = Dates.ToProto(new DateOnly(2024, 10, 25)),
        ReviewYear = 2024,
        QualificationDate = Dates.ToProto(new DateOnly(2024, 12, 1)),
        ApprovalDocument = "大人社发〔2024〕15号",
    };

    private static CertificateContent Valid()
    {
        var violations = new Violations();
        var content = IssuanceRules.Validate(Spec(), "spec.", Today, violations);
        Assert.Empty(violations.Items);
        return content!;
    }

    [Fact]
    public void Validate_GoodSpec_NormalisesIt()
    {
        var spec = Spec();
        spec.Holder.Name = " 张伟 ";
        spec.Holder.DocumentNumber = spec.Holder.DocumentNumber.ToLowerInvariant();

        var violations = new Violations();
        var content = IssuanceRules.Validate(spec, "spec.", Today, violations);

        Assert.Empty(violations.Items);
        Assert.Equal("张伟", content!.HolderName);
        Assert.Equal(spec.Holder.DocumentNumber.ToUpperInvariant(), content.DocumentNumber);
    }

    [Fact]
    public void Validate_ReviewYearNotTheMeetingYear_IsRefused()
    {
        // 不得跨年度评审: a meeting in 2024 cannot produce a 2025 review year.
        var spec = Spec();
        spec.ReviewYear = 2025;

        var violations = new Violations();
        IssuanceRules.Validate(spec, "spec.", Today, violations);

        Assert.Equal("spec.review_year", Assert.Single(violations.Items).Field);
    }

    [Fact]
    public void Validate_MeetingInTheFuture_IsRefused()
    {
        var spec = Spec();
        spec.ReviewMeetingDate = Dates.ToProto(Today.AddDays(1));
        spec.QualificationDate = Dates.ToProto(Today.AddDays(1));

        var violations = new Violations();
        IssuanceRules.Validate(spec, "spec.", Today, violations);

        Assert.Contains(violations.Items, v => v.Field == "spec.review_meeting_date");
        Assert.Contains(violations.Items, v => v.Field == "spec.qualification_date");
    }

    [Fact]
    public void Validate_QualificationBeforeMeeting_IsRefused()
    {
        var spec = Spec();
        spec.QualificationDate = Dates.ToProto(new DateOnly(2024, 10, 24));

        var violations = new Violations();
        IssuanceRules.Validate(spec, "spec.", Today, violations);

        Assert.Equal("spec.qualification_date", Assert.Single(violations.Items).Field);
    }

    [Fact]
    public void Validate_EmptySpec_NamesEveryRequiredField()
    {
        var violations = new Violations();
        IssuanceRules.Validate(new CertificateSpec(), "items[2].", Today, violations);

        Assert.Equal(
            ["items[2].holder.name", "items[2].holder.document_type", "items[2].series", "items[2].specialty", "items[2].level",
             "items[2].title_name", "items[2].approval_document", "items[2].review_meeting_date", "items[2].qualification_date"],
            violations.Items.Select(v => v.Field));
    }

    [Fact]
    public void Validate_WrongIdCheckCharacter_NamesTheDocumentNumber()
    {
        var spec = Spec();
        var number = spec.Holder.DocumentNumber;
        spec.Holder.DocumentNumber = number[..17] + (number[17] == '0' ? '1' : '0');

        var violations = new Violations();
        IssuanceRules.Validate(spec, "spec.", Today, violations);

        var violation = Assert.Single(violations.Items);
        Assert.Equal(("spec.holder.document_number", "has a wrong check character"), (violation.Field, violation.Description));
    }

    [Fact]
    public void CheckCommittee_InScope_HasNoProblems()
    {
        Assert.Empty(IssuanceRules.CheckCommittee(CommitteeTests.Sample(), Valid()));
    }

    [Fact]
    public void CheckCommittee_SpecialtyAndLevelOutsideScope_AreBothReported()
    {
        var content = Valid() with { Specialty = "核电运行", Level = TitleLevel.FullSenior };

        var problems = IssuanceRules.CheckCommittee(CommitteeTests.Sample(), content);

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal("OUTSIDE_ACCREDITED_SCOPE", p.Reason));
    }

    [Fact]
    public void CheckCommittee_Suspended_IssuesNothing()
    {
        var committee = CommitteeTests.Sample(new CommitteeStateChange(CommitteeState.Suspended, "整改", "文", new DateOnly(2024, 11, 1), DateTimeOffset.UnixEpoch, "a"));

        Assert.Equal("COMMITTEE_SUSPENDED", Assert.Single(IssuanceRules.CheckCommittee(committee, Valid())).Reason);
    }

    [Fact]
    public void CheckCommittee_SuspendedOnTheMeetingDateButRestoredSince_IsRefused()
    {
        var committee = CommitteeTests.Sample(
            new CommitteeStateChange(CommitteeState.Suspended, "整改", "文1", new DateOnly(2024, 10, 1), DateTimeOffset.UnixEpoch, "a"),
            new CommitteeStateChange(CommitteeState.Active, "整改完成", "文2", new DateOnly(2024, 11, 1), DateTimeOffset.UnixEpoch, "a"));

        Assert.Equal("COMMITTEE_INACTIVE_ON_REVIEW_DATE", Assert.Single(IssuanceRules.CheckCommittee(committee, Valid())).Reason);
    }

    [Fact]
    public void CheckCommittee_MeetingOutsideAccreditationWindow_IsRefused()
    {
        var committee = CommitteeTests.Sample() with { AccreditedUntil = new DateOnly(2024, 10, 24) };

        Assert.Equal("OUTSIDE_ACCREDITATION_WINDOW", Assert.Single(IssuanceRules.CheckCommittee(committee, Valid())).Reason);
    }

    [Theory]
    [InlineData("2026-12-31", null)] // the last day of the window
    [InlineData("2027-01-01", "OUTSIDE_ACCREDITATION_WINDOW")] // the day after: expired
    [InlineData("2027-02-28", "OUTSIDE_ACCREDITATION_WINDOW")] // in the lapse before the renewal
    [InlineData("2027-03-01", null)] // in the renewal
    public void CheckCommittee_MeetingDateAroundARenewal_NeedsAWindowThatCoversIt(string meeting, string? refusal)
    {
        var committee = AccreditationRulesTests.WithWindows((new DateOnly(2027, 3, 1), new DateOnly(2030, 2, 28)));

        var problems = IssuanceRules.CheckCommitteeOn(committee, DateOnly.Parse(meeting));

        Assert.Equal(refusal, problems.Select(p => p.Reason).SingleOrDefault());
    }

    [Fact]
    public void CheckCommittee_ScopeChangedAfterTheMeeting_IsJudgedByTheScopeOfTheMeetingDate()
    {
        // 岩土工程 left the scope from 2024-11-01, 给排水 joined it: a review of 2024-10-25 is judged by the earlier scope.
        var first = new AccreditedScope("工程系列", ["建筑工程", "岩土工程"], [TitleLevel.DeputySenior], "", new DateOnly(2024, 1, 1), DateTimeOffset.UnixEpoch, "authority");
        var second = first with { Specialties = ["建筑工程", "给排水"], DecisionDocument = "大人社函〔2024〕11号", EffectiveDate = new DateOnly(2024, 11, 1) };
        var committee = CommitteeTests.Sample() with { Specialties = second.Specialties, Scopes = [first, second] };
        var before = new DateOnly(2024, 10, 25);
        var after = new DateOnly(2024, 11, 1);

        Assert.Empty(IssuanceRules.CheckScopeOn(committee, before, "工程系列", "岩土工程", TitleLevel.DeputySenior));
        var notYet = Assert.Single(IssuanceRules.CheckScopeOn(committee, before, "工程系列", "给排水", TitleLevel.DeputySenior));
        var noLonger = Assert.Single(IssuanceRules.CheckScopeOn(committee, after, "工程系列", "岩土工程", TitleLevel.DeputySenior));
        Assert.Empty(IssuanceRules.CheckScopeOn(committee, after, "工程系列", "给排水", TitleLevel.DeputySenior));
        Assert.Equal("OUTSIDE_ACCREDITED_SCOPE", notYet.Reason);
        Assert.Contains("in force on 2024-10-25 (from 2024-01-01)", notYet.Description, StringComparison.Ordinal);
        Assert.Equal("OUTSIDE_ACCREDITED_SCOPE", noLonger.Reason);
    }
}
