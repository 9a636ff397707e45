namespace Credentials.Core.Time;

/// <summary>
/// Calendar dates as the rules mean them: Asia/Shanghai dates. China has kept UTC+8 without
/// daylight saving since 1991, so a fixed offset is exact for every date this system sees and
/// needs no time-zone database on the host.
/// </summary>
public static class ChinaCalendar
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>Today's date in China.</summary>
    public static DateOnly Today(TimeProvider time) => DateOf(time.GetUtcNow());

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The first instant of a date in China.</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>
    /// The same calendar date <paramref name="years"/> later; 29 February becomes 28 February
    /// when the target year has none.
    /// </summary>
    public static DateOnly AddYears(DateOnly date, int years) => date.AddYears(years);
}
