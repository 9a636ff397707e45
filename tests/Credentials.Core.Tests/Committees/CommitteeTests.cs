using Credentials.Core.Committees;
using Credentials.Core.Validation;
using Credentials.V1;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Core.Tests.Committees;

public class CommitteeTests
{
    internal static Committee Sample(params CommitteeStateChange[] history) => new(
        "DL-S01", "大连市工程系列城乡建设行业高级专业技术资格评审委员会", "大连市住建局", "大连市", "工程系列",
        ["建筑工程", "岩土工程"], [TitleLevel.DeputySenior], new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31),
        history.Length == 0 ? CommitteeState.Active : history[^1].State, "10月下旬", history,
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static CommitteeStateChange Change(CommitteeState state, int month, int day) =>
        new(state, "整改", "大人社发〔2024〕1号", new DateOnly(2024, month, day), DateTimeOffset.UnixEpoch, "authority");

    [Fact]
    public void StateOn_SuspendedThenRestored_FollowsEffectiveDates()
    {
        var committee = Sample(Change(CommitteeState.Suspended, 5, 1), Change(CommitteeState.Active, 7, 1));

        Assert.Equal(CommitteeState.Active, committee.StateOn(new DateOnly(2024, 4, 30)));
        Assert.Equal(CommitteeState.Suspended, committee.StateOn(new DateOnly(2024, 5, 1)));
        Assert.Equal(CommitteeState.Suspended, committee.StateOn(new DateOnly(2024, 6, 30)));
        Assert.Equal(CommitteeState.Active, committee.StateOn(new DateOnly(2024, 7, 1)));
    }

    [Fact]
    public void IsAccreditedOn_WindowEdges_AreInclusive()
    {
        var committee = Sample();

        Assert.False(committee.IsAccreditedOn(new DateOnly(2023, 12, 31)));
        Assert.True(committee.IsAccreditedOn(new DateOnly(2024, 1, 1)));
        Assert.True(committee.IsAccreditedOn(new DateOnly(2026, 12, 31)));
        Assert.False(committee.IsAccreditedOn(new DateOnly(2027, 1, 1)));
    }

    [Theory]
    [InlineData("2023-12-31", AccreditationStatus.NotYetValid)]
    [InlineData("2024-01-01", AccreditationStatus.Valid)]
    [InlineData("2026-12-30", AccreditationStatus.Valid)] // the day before it ends
    [InlineData("2026-12-31", AccreditationStatus.Valid)] // the last day
    [InlineData("2027-01-01", AccreditationStatus.Expired)] // the day after
    public void AccreditationOn_AroundTheWindow_IsComputedFromTheDate(string date, AccreditationStatus expected)
    {
        Assert.Equal(expected, Sample().AccreditationOn(DateOnly.Parse(date)));
    }

    [Theory]
    [InlineData("2026-12-31", AccreditationStatus.Valid, "2024-01-01")]
    [InlineData("2027-01-01", AccreditationStatus.Expired, "2027-03-01")] // lapsed until the renewal begins
    [InlineData("2027-02-28", AccreditationStatus.Expired, "2027-03-01")]
    [InlineData("2027-03-01", AccreditationStatus.Valid, "2027-03-01")]
    [InlineData("2030-03-01", AccreditationStatus.Expired, "2027-03-01")]
    public void AccreditationOn_RenewedAfterALapse_CoversOnlyTheWindows(string date, AccreditationStatus expected, string windowFrom)
    {
        var committee = AccreditationRulesTests.WithWindows((new DateOnly(2027, 3, 1), new DateOnly(2030, 2, 28)));
        var day = DateOnly.Parse(date);

        Assert.Equal(expected, committee.AccreditationOn(day));
        Assert.Equal(expected == AccreditationStatus.Valid, committee.IsAccreditedOn(day));
        Assert.Equal(DateOnly.Parse(windowFrom), (committee.WindowOn(day) ?? committee.Windows()[^1]).ValidFrom);
    }

    [Fact]
    public void ScopeOn_AfterAnUpdate_IsTheScopeInForceOnTheDate()
    {
        var first = new AccreditedScope("工程系列", ["建筑工程"], [TitleLevel.DeputySenior], "", new DateOnly(2024, 1, 1), DateTimeOffset.UnixEpoch, "authority");
        var second = first with { Specialties = ["建筑工程", "给排水"], DecisionDocument = "大人社函〔2024〕11号", EffectiveDate = new DateOnly(2024, 11, 1) };
        var committee = Sample() with { Scopes = [first, second] };

        Assert.Same(first, committee.ScopeOn(new DateOnly(2023, 6, 1)));
        Assert.Same(first, committee.ScopeOn(new DateOnly(2024, 10, 31)));
        Assert.Same(second, committee.ScopeOn(new DateOnly(2024, 11, 1)));
    }

    [Fact]
    public void Windows_NotStoredYet_AreTheOneItWasCreatedWith()
    {
        var committee = Sample();

        var window = Assert.Single(committee.Windows());
        var scope = Assert.Single(committee.ScopeHistory());
        Assert.Equal((new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31), ""), (window.ValidFrom, window.ValidUntil, window.DecisionDocument));
        Assert.Equal((committee.Series, new DateOnly(2024, 1, 1)), (scope.Series, scope.EffectiveDate));
        Assert.Equal(committee.Specialties, scope.Specialties);
    }

    [Theory]
    [InlineData(CommitteeState.Active, CommitteeState.Suspended, null)]
    [InlineData(CommitteeState.Suspended, CommitteeState.Active, null)]
    [InlineData(CommitteeState.Active, CommitteeState.Withdrawn, null)]
    [InlineData(CommitteeState.Suspended, CommitteeState.Withdrawn, null)]
    [InlineData(CommitteeState.Suspended, CommitteeState.Suspended, "COMMITTEE_ALREADY_SUSPENDED")]
    [InlineData(CommitteeState.Active, CommitteeState.Active, "COMMITTEE_NOT_SUSPENDED")]
    [InlineData(CommitteeState.Withdrawn, CommitteeState.Active, "COMMITTEE_WITHDRAWN")]
    [InlineData(CommitteeState.Withdrawn, CommitteeState.Withdrawn, "COMMITTEE_WITHDRAWN")]
    public void CheckTransition_AllowsOnlyTheDefinedChanges(CommitteeState current, CommitteeState target, string? refusal)
    {
        var error = Record.Exception(() => CommitteeRules.CheckTransition("DL-S01", current, target));

        Assert.Equal(refusal, (error as RuleViolationException)?.Reason);
        if (refusal is null)
        {
            Assert.Null(error);
        }
    }

    [Fact]
    public void Validate_EveryFieldWrong_NamesEveryField()
    {
        var committee = Sample() with
        {
            Code = "dl s01", Name = "", Organizer = new string('x', 101), Region = "", Series = "",
            Specialties = ["a", "a"], Levels = [TitleLevel.Unspecified], AccreditedUntil = new DateOnly(2023, 1, 1),
        };
        var violations = new Violations();

        CommitteeRules.Validate(committee, violations);

        Assert.Equal(
            ["committee.code", "committee.name", "committee.organizer", "committee.region", "committee.series",
             "committee.specialties", "committee.levels[0]", "committee.accredited_until"],
            violations.Items.Select(v => v.Field));
    }
}
