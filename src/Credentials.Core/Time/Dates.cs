using System.Globalization;

namespace Credentials.Core.Time;

/// <summary>Conversions between google.type.Date, DateOnly and the ISO text the store keeps.</summary>
public static class Dates
{
    /// <summary>The date, or null when it is missing or not a real calendar date.</summary>
    public static DateOnly? ToDateOnly(Google.Type.Date? date)
    {
        if (date is null || date.Year is < 1 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1
            || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
        {
            return null;
        }
        return new DateOnly(date.Year, date.Month, date.Day);
    }

    public static Google.Type.Date ToProto(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    public static bool IsEmpty(Google.Type.Date? date) => date is null || (date.Year == 0 && date.Month == 0 && date.Day == 0);

    public static string ToIso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly FromIso(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
