using Credentials.Core.Calendar;
using Credentials.Core.Validation;

namespace Credentials.Core.Tests.Calendar;

public sealed class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Official = WorkingDayCalendar.Official;

    [Theory]
    [InlineData("2024-02-04", true)] // Sunday, worked before the Spring Festival (调休上班)
    [InlineData("2024-02-12", false)] // Monday in the Spring Festival holiday
    [InlineData("2024-09-29", true)] // Sunday, worked before National Day
    [InlineData("2024-10-07", false)] // Monday, last day of National Day
    [InlineData("2024-10-12", true)] // Saturday, worked after National Day
    [InlineData("2024-10-13", false)] // an ordinary Sunday
    [InlineData("2024-10-14", true)] // an ordinary Monday
    [InlineData("2025-01-26", true)] // Sunday, worked before the 2025 Spring Festival
    [InlineData("2026-01-01", false)] // New Year's Day
    public void IsWorkingDay_OfficialNotices_FollowsHolidaysAndMakeUpDays(string date, bool working)
    {
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(working, Official.IsWorkingDay(day));
    }

    [Fact]
    public void LastDayOfPeriod_PublicityFromTheFridayBeforeNationalDay_SpansTheHoliday()
    {
        // Fri 27 Sep, Sun 29 Sep (make-up day), Mon 30 Sep, then 1–7 Oct off: Tue 8 and Wed 9 Oct.
        var last = Official.LastDayOfPeriod(new DateOnly(2024, 9, 27), 5);

        Assert.Equal(new DateOnly(2024, 10, 9), last);
    }

    [Fact]
    public void LastDayOfPeriod_StartingOnAHoliday_CountsFromTheNextWorkingDay()
    {
        var last = Official.LastDayOfPeriod(new DateOnly(2024, 10, 1), 5);

        // 8, 9, 10, 11 Oct and the make-up Saturday 12 Oct.
        Assert.Equal(new DateOnly(2024, 10, 12), last);
    }

    [Fact]
    public void AddWorkingDays_TwentyAfterAReviewBeforeSpringFestival_SkipsTheHolidayAndCountsMakeUpDays()
    {
        // After Wed 31 Jan 2024: Feb 1, 2, 4 (Sun, worked), 5, 6, 7, 8, 9 = 8; 10–17 off; 18 (Sun, worked) = 9;
        // then Feb 19–23 = 14, Feb 26–Mar 1 = 19, Mar 4 = 20.
        var deadline = Official.AddWorkingDays(new DateOnly(2024, 1, 31), 20);

        Assert.Equal(new DateOnly(2024, 3, 4), deadline);
    }

    [Fact]
    public void CountWorkingDays_NationalDayWeek2024_CountsTheMakeUpSundayAndSaturday()
    {
        var count = Official.CountWorkingDays(new DateOnly(2024, 9, 28), new DateOnly(2024, 10, 13));

        // 29 Sep, 30 Sep, 8–11 Oct, 12 Oct.
        Assert.Equal(7, count);
    }

    [Fact]
    public void IsWorkingDay_YearWithoutANotice_IsRefusedNotGuessed()
    {
        var error = Assert.Throws<RuleViolationException>(() => Official.IsWorkingDay(new DateOnly(2027, 3, 1)));

        Assert.Equal(WorkingDayCalendar.NotCoveredReason, error.Reason);
        Assert.Equal("2027", error.Metadata["year"]);
        Assert.Contains("2027", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LastDayOfPeriod_RunningIntoAYearWithoutANotice_IsRefused()
    {
        var error = Assert.Throws<RuleViolationException>(() => Official.LastDayOfPeriod(new DateOnly(2026, 12, 28), 10));

        Assert.Equal("2027", error.Metadata["year"]);
    }

    [Fact]
    public void Create_OperatorAddsNextYearsNotice_CoversItWithoutACodeChange()
    {
        var notice = HolidayNoticeCsv.Parse("""
            # 国务院办公厅关于2027年部分节假日安排的通知 (example)
            date,kind,name,notice
            2027-01-01,holiday,元旦,https://www.gov.cn/example
            2027-02-07,workday,春节,https://www.gov.cn/example
            """, "2027.csv");

        var calendar = WorkingDayCalendar.Create([WorkingDayCalendar.OfficialDays, notice]);

        Assert.Contains(2027, calendar.Years);
        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2027, 2, 7)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2027, 3, 1)));
    }

    [Fact]
    public void Create_TwoDifferentNoticesForOneYear_Throws()
    {
        var other = HolidayNoticeCsv.Parse("date,kind,name,notice\n2024-01-01,holiday,元旦,x\n", "other.csv");

        var error = Assert.Throws<FormatException>(() => WorkingDayCalendar.Create([WorkingDayCalendar.OfficialDays, other]));

        Assert.Contains("2024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SameNoticeTwice_IsAccepted()
    {
        var calendar = WorkingDayCalendar.Create([WorkingDayCalendar.OfficialDays, WorkingDayCalendar.OfficialDays]);

        Assert.Equal(Official.Years, calendar.Years);
    }

    [Fact]
    public void Official_ShipsTheNoticesOf2024To2026()
    {
        Assert.Equal([2024, 2025, 2026], Official.Years);
        Assert.Equal("国庆节", Official.Describe(new DateOnly(2024, 10, 1))?.Name);
        Assert.Null(Official.Describe(new DateOnly(2024, 10, 14)));
    }
}
