using Credentials.Core.Calendar;

namespace Credentials.Core.Tests.Calendar;

public sealed class HolidayNoticeCsvTests
{
    [Fact]
    public void Parse_CommentsHeaderAndRows_ReadsEveryDay()
    {
        var days = HolidayNoticeCsv.Parse("# comment\r\ndate,kind,name,notice\r\n2024-10-01,holiday,国庆节,https://x\r\n2024-10-12,workday,国庆节,https://x\r\n", "t.csv");

        Assert.Equal(
            [new CalendarDay(new DateOnly(2024, 10, 1), CalendarDayKind.Holiday, "国庆节", "https://x"),
             new CalendarDay(new DateOnly(2024, 10, 12), CalendarDayKind.Workday, "国庆节", "https://x")],
            days);
    }

    [Theory]
    [InlineData("date,kind,name\n", "first line")]
    [InlineData("date,kind,name,notice\n2024-13-01,holiday,x,y\n", "not a date")]
    [InlineData("date,kind,name,notice\n2024-10-01,rest,x,y\n", "kind")]
    [InlineData("date,kind,name,notice\n2024-10-14,workday,x,y\n", "Saturday or Sunday")]
    [InlineData("date,kind,name,notice\n2024-10-01,holiday,,y\n", "name")]
    [InlineData("date,kind,name,notice\n2024-10-01,holiday,x\n", "fields")]
    public void Parse_BadTable_SaysWhereAndWhy(string csv, string expected)
    {
        var error = Assert.Throws<FormatException>(() => HolidayNoticeCsv.Parse(csv, "bad.csv"));

        Assert.Contains("bad.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
