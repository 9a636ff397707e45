using Credentials.Core.Integrity;
using Credentials.Core.Policy;
using Credentials.V1;

namespace Credentials.Core.Tests.Integrity;

public class MisconductWindowTests
{
    private static readonly int Years = new PolicyProfile().MisconductRecordYears;

    [Fact]
    public void ActiveUntil_DefaultProfile_IsTheSameDateThreeYearsLater()
    {
        Assert.Equal(3, Years);
        Assert.Equal(new DateOnly(2027, 3, 15), MisconductWindow.ActiveUntil(new DateOnly(2024, 3, 15), Years));
    }

    [Fact]
    public void ActiveUntil_LeapDay_EndsOnTheTwentyEighthOfFebruary()
    {
        Assert.Equal(new DateOnly(2027, 2, 28), MisconductWindow.ActiveUntil(new DateOnly(2024, 2, 29), 3));
        Assert.Equal(new DateOnly(2028, 2, 29), MisconductWindow.ActiveUntil(new DateOnly(2024, 2, 29), 4));
    }

    [Theory]
    [InlineData(2, "2026-03-15")]
    [InlineData(5, "2029-03-15")]
    public void ActiveUntil_PeriodFromTheProfile_IsUsed(int years, string expected)
    {
        var profile = new PolicyProfile { MisconductRecordYears = years };

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            MisconductWindow.ActiveUntil(new DateOnly(2024, 3, 15), profile.MisconductRecordYears));
    }

    [Fact]
    public void ActiveUntil_PeriodBelowOneYear_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MisconductWindow.ActiveUntil(new DateOnly(2024, 3, 15), 0));
    }

    [Theory]
    [InlineData("2024-03-14", false)] // before the decision
    [InlineData("2024-03-15", true)]  // the decision day
    [InlineData("2027-03-14", true)]  // the day before the anniversary
    [InlineData("2027-03-15", true)]  // the anniversary: the last day (民法典 第二百零二条)
    [InlineData("2027-03-16", false)] // the day after: expired
    public void IsActive_AroundTheEdges_FollowsTheCivilCodeCount(string today, bool active)
    {
        Assert.Equal(active, MisconductWindow.IsActive(new DateOnly(2024, 3, 15), 3, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2027-02-27", true)]
    [InlineData("2027-02-28", true)]
    [InlineData("2027-03-01", false)]
    public void IsActive_DecidedOnALeapDay_EndsWithFebruary(string today, bool active)
    {
        Assert.Equal(active, MisconductWindow.IsActive(new DateOnly(2024, 2, 29), 3, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void EarliestActiveDecision_EveryDayOfALeapCycle_AgreesWithIsActive(int years)
    {
        // The store filters with "decision_date >= EarliestActiveDecision(today)": it must select
        // exactly the active records on every day, including around 29 February.
        for (var today = new DateOnly(2027, 1, 1); today <= new DateOnly(2031, 12, 31); today = today.AddDays(1))
        {
            var earliest = MisconductWindow.EarliestActiveDecision(today, years);
            for (var decided = today.AddYears(-years).AddDays(-4); decided <= today.AddYears(-years).AddDays(4); decided = decided.AddDays(1))
            {
                Assert.True(MisconductWindow.IsActive(decided, years, today) == (decided >= earliest), $"today {today:O}, decided {decided:O}, {years} years");
            }
        }
    }

    [Theory]
    [InlineData(false, "2027-03-15", MisconductState.Active)]
    [InlineData(false, "2027-03-16", MisconductState.Expired)]
    [InlineData(true, "2025-01-01", MisconductState.Rescinded)]
    [InlineData(true, "2030-01-01", MisconductState.Rescinded)]
    public void StateOn_RescissionAndDates_GiveTheState(bool rescinded, string today, MisconductState expected)
    {
        Assert.Equal(expected, MisconductWindow.StateOn(new DateOnly(2024, 3, 15), 3, rescinded,
            DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
