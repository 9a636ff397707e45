using Credentials.Core.Committees;
using Credentials.Core.Validation;
using Credentials.V1;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Core.Tests.Committees;

public class AccreditationRulesTests
{
    private static readonly DateTimeOffset Recorded = new(2024, 12, 20, 2, 0, 0, TimeSpan.Zero);

    /// <summary>DL-S01 as stored: created for 2024-01-01 to 2026-12-31, then the given renewals.</summary>
    internal static Committee WithWindows(params (DateOnly From, DateOnly Until)[] renewals) => CommitteeTests.Sample() with
    {
        Accreditations =
        [
            new AccreditationWindow(new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31), "", Recorded, "authority"),
            .. renewals.Select(r => new AccreditationWindow(r.From, r.Until, "大人社函〔2026〕50号", Recorded, "authority")),
        ],
    };

    private static AccreditedScope Scope(DateOnly effective, params string[] specialties) =>
        new("工程系列", specialties, [TitleLevel.DeputySenior], "大人社函〔2024〕11号", effective, Recorded, "authority");

    [Theory]
    [InlineData("2024-01-01", 3, "2026-12-31")]
    [InlineData("2024-07-15", 3, "2027-07-14")]
    [InlineData("2024-02-29", 3, "2027-02-28")]
    [InlineData("2025-03-01", 3, "2028-02-29")]
    [InlineData("2024-02-29", 4, "2028-02-28")]
    [InlineData("2024-01-01", 1, "2024-12-31")]
    public void LastDay_YearsLater_IsTheDayBeforeTheAnniversary(string from, int years, string last)
    {
        Assert.Equal(DateOnly.Parse(last), AccreditationRules.LastDay(DateOnly.Parse(from), years));
    }

    [Fact]
    public void CheckValidity_ExactlyThreeYears_IsAccepted()
    {
        AccreditationRules.CheckValidity("DL-S01", new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31), 3);
    }

    [Fact]
    public void CheckValidity_OneDayMore_IsTooLongNamingTheLastDay()
    {
        var error = Assert.Throws<RuleViolationException>(() =>
            AccreditationRules.CheckValidity("DL-S01", new DateOnly(2024, 1, 1), new DateOnly(2027, 1, 1), 3));

        Assert.Equal("ACCREDITATION_TOO_LONG", error.Reason);
        Assert.Equal("2026-12-31", error.Metadata["latest_valid_until"]);
        Assert.Equal("3", error.Metadata["max_years"]);
    }

    [Fact]
    public void CheckValidity_ShorterLimitOfAProfile_IsHeld()
    {
        var error = Assert.Throws<RuleViolationException>(() =>
            AccreditationRules.CheckValidity("DL-S01", new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31), 2));

        Assert.Equal("2025-12-31", error.Metadata["latest_valid_until"]);
    }

    [Fact]
    public void CheckRenewal_FollowingTheLatestWindow_IsAccepted()
    {
        AccreditationRules.CheckRenewal(WithWindows(), new DateOnly(2027, 1, 1), new DateOnly(2029, 12, 31), 3);
    }

    [Theory]
    [InlineData("2024-01-01", "2029-12-31")] // begins with the latest window: a rewrite, not a renewal
    [InlineData("2026-06-01", "2026-12-31")] // ends with it
    [InlineData("2025-01-01", "2026-06-30")] // ends inside it
    public void CheckRenewal_NotAfterTheLatestWindow_IsRefused(string from, string until)
    {
        var error = Assert.Throws<RuleViolationException>(() =>
            AccreditationRules.CheckRenewal(WithWindows(), DateOnly.Parse(from), DateOnly.Parse(until), 3));

        Assert.Equal("RENEWAL_NOT_LATER", error.Reason);
        Assert.Equal("2026-12-31", error.Metadata["latest_valid_until"]);
    }

    [Fact]
    public void CheckRenewal_AfterARenewal_IsJudgedAgainstThatRenewal()
    {
        var renewed = WithWindows((new DateOnly(2027, 1, 1), new DateOnly(2029, 12, 31)));

        var error = Assert.Throws<RuleViolationException>(() =>
            AccreditationRules.CheckRenewal(renewed, new DateOnly(2028, 1, 1), new DateOnly(2029, 12, 31), 3));

        Assert.Equal("RENEWAL_NOT_LATER", error.Reason);
        Assert.Equal("2027-01-01", error.Metadata["latest_valid_from"]);
    }

    [Fact]
    public void CheckRenewal_LongerThanTheLimit_IsTooLong()
    {
        var error = Assert.Throws<RuleViolationException>(() =>
            AccreditationRules.CheckRenewal(WithWindows(), new DateOnly(2027, 1, 1), new DateOnly(2030, 1, 1), 3));

        Assert.Equal("ACCREDITATION_TOO_LONG", error.Reason);
    }

    [Fact]
    public void CheckRenewal_Withdrawn_IsFinal()
    {
        var withdrawn = WithWindows() with { State = CommitteeState.Withdrawn };

        var error = Assert.Throws<RuleViolationException>(() =>
            AccreditationRules.CheckRenewal(withdrawn, new DateOnly(2027, 1, 1), new DateOnly(2029, 12, 31), 3));

        Assert.Equal("COMMITTEE_WITHDRAWN", error.Reason);
    }

    [Theory]
    [InlineData("2026-12-01", "2027-01-01")] // before it ends: the day after, no gap
    [InlineData("2026-12-31", "2027-01-01")]
    [InlineData("2027-03-15", "2027-03-15")] // lapsed: from today, the lapse is not bridged
    public void DefaultRenewalStart_FollowsTheWindowOrToday(string today, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected), AccreditationRules.DefaultRenewalStart(WithWindows(), DateOnly.Parse(today)));
    }

    [Fact]
    public void CheckScopeUpdate_SameScopeInAnotherOrder_IsUnchanged()
    {
        var committee = CommitteeTests.Sample();

        var error = Assert.Throws<RuleViolationException>(() =>
            AccreditationRules.CheckScopeUpdate(committee, Scope(new DateOnly(2024, 12, 1), "岩土工程", "建筑工程")));

        Assert.Equal("SCOPE_UNCHANGED", error.Reason);
    }

    [Fact]
    public void CheckScopeUpdate_BeforeTheScopeInForce_IsRefused()
    {
        var committee = CommitteeTests.Sample() with { Scopes = [Scope(new DateOnly(2024, 1, 1), "建筑工程"), Scope(new DateOnly(2024, 9, 1), "给排水")] };

        var error = Assert.Throws<RuleViolationException>(() =>
            AccreditationRules.CheckScopeUpdate(committee, Scope(new DateOnly(2024, 8, 31), "暖通空调")));

        Assert.Equal("SCOPE_CHANGE_BEFORE_CURRENT_SCOPE", error.Reason);
        Assert.Equal("2024-09-01", error.Metadata["current_effective_date"]);
    }

    [Fact]
    public void CheckScopeUpdate_ANewScope_IsAccepted()
    {
        AccreditationRules.CheckScopeUpdate(CommitteeTests.Sample(), Scope(new DateOnly(2024, 12, 1), "建筑工程", "给排水"));
    }

    [Fact]
    public void CheckScopeUpdate_Withdrawn_IsFinal()
    {
        var withdrawn = CommitteeTests.Sample() with { State = CommitteeState.Withdrawn };

        var error = Assert.Throws<RuleViolationException>(() =>
            AccreditationRules.CheckScopeUpdate(withdrawn, Scope(new DateOnly(2024, 12, 1), "给排水")));

        Assert.Equal("COMMITTEE_WITHDRAWN", error.Reason);
    }
}
