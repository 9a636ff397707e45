using System.Globalization;
using Credentials.Core.Csv;

namespace Credentials.Core.Calendar;

/// <summary>
/// The calendar's file format: <c>date,kind,name,notice</c> (kind <c>holiday</c> or <c>workday</c>),
/// lines starting with '#' are comments. One file may hold several years; each year it names is the
/// whole notice for that year.
/// </summary>
public static class HolidayNoticeCsv
{
    private static readonly string[] Header = ["date", "kind", "name", "notice"];

    /// <exception cref="FormatException">The text is not such a table; the message names the source and line.</exception>
    public static IReadOnlyList<CalendarDay> Parse(string csv, string source)
    {
        var lines = csv.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var body = string.Join('\n', lines.Select(line => line.StartsWith('#') ? "" : line));
        var rows = Rfc4180.ReadRows(body).Select((fields, index) => (fields, line: index + 1)).ToList();
        var content = rows.Where(r => !(r.fields.Length == 1 && r.fields[0].Length == 0)).ToList();
        if (content.Count == 0 || !content[0].fields.Select(f => f.Trim()).SequenceEqual(Header, StringComparer.OrdinalIgnoreCase))
        {
            throw new FormatException($"{source}: the first line that is not a comment must be: {string.Join(',', Header)}");
        }
        var days = new List<CalendarDay>();
        foreach (var (fields, line) in content.Skip(1))
        {
            days.Add(ParseRow(fields, $"{source} line {line}"));
        }
        return days;
    }

    private static CalendarDay ParseRow(string[] fields, string where)
    {
        if (fields.Length != Header.Length)
        {
            throw new FormatException($"{where}: {fields.Length} fields, expected {Header.Length} ({string.Join(',', Header)}).");
        }
        if (!DateOnly.TryParseExact(fields[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new FormatException($"{where}: '{fields[0]}' is not a date (yyyy-MM-dd).");
        }
        var kind = fields[1].Trim().ToLowerInvariant() switch
        {
            "holiday" => CalendarDayKind.Holiday,
            "workday" => CalendarDayKind.Workday,
            _ => throw new FormatException($"{where}: kind '{fields[1]}' must be 'holiday' or 'workday'."),
        };
        if (kind == CalendarDayKind.Workday && !WorkingDayCalendar.IsWeekend(date))
        {
            throw new FormatException($"{where}: {date:yyyy-MM-dd} is a {date.DayOfWeek}; a make-up working day (workday) is always a Saturday or Sunday.");
        }
        var name = fields[2].Trim();
        if (name.Length == 0)
        {
            throw new FormatException($"{where}: the holiday's name is empty.");
        }
        return new CalendarDay(date, kind, name, fields[3].Trim());
    }
}
