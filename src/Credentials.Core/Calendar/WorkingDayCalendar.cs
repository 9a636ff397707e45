using System.Globalization;
using Credentials.Core.Validation;

namespace Credentials.Core.Calendar;

/// <summary>
/// Working days (工作日) as the State Council's annual holiday notices define them: Monday to
/// Friday, minus that year's holidays, plus its weekend make-up days (调休上班). A year without a
/// notice is not guessed: asking about one is refused with <c>CALENDAR_YEAR_NOT_COVERED</c>.
/// Immutable; built once at start from the embedded official data and any notices the operator adds.
/// </summary>
public sealed class WorkingDayCalendar
{
    public const string NotCoveredReason = "CALENDAR_YEAR_NOT_COVERED";

    private const string EmbeddedName = "Calendar.cn-public-holidays.csv";

    private static readonly Lazy<IReadOnlyList<CalendarDay>> EmbeddedDays = new(LoadEmbedded);

    private readonly Dictionary<DateOnly, CalendarDay> _days;
    private readonly SortedSet<int> _years;

    private WorkingDayCalendar(Dictionary<DateOnly, CalendarDay> days, SortedSet<int> years)
    {
        _days = days;
        _years = years;
    }

    /// <summary>The notices this project ships (2024 to 2026 at the time of writing), from the gov.cn notices each line names.</summary>
    public static IReadOnlyList<CalendarDay> OfficialDays => EmbeddedDays.Value;

    /// <summary>The calendar of the shipped notices alone.</summary>
    public static WorkingDayCalendar Official { get; } = Create([OfficialDays]);

    /// <summary>The years for which a notice is known, ascending.</summary>
    public IReadOnlyCollection<int> Years => _years;

    /// <summary>
    /// A calendar from several sources (the shipped file, then operator files). A year is one notice:
    /// the same year in two sources must be identical, or this throws.
    /// </summary>
    /// <exception cref="FormatException">Two sources disagree about a year, or a source lists a date twice.</exception>
    public static WorkingDayCalendar Create(IEnumerable<IReadOnlyList<CalendarDay>> sources)
    {
        var byYear = new Dictionary<int, List<CalendarDay>>();
        foreach (var source in sources)
        {
            foreach (var group in source.GroupBy(d => d.Date.Year))
            {
                var days = group.OrderBy(d => d.Date).ToList();
                if (days.Select(d => d.Date).Distinct().Count() != days.Count)
                {
                    throw new FormatException($"The notice for {group.Key} lists a date twice.");
                }
                if (byYear.TryGetValue(group.Key, out var known))
                {
                    if (!known.SequenceEqual(days))
                    {
                        throw new FormatException(
                            $"Two calendar files give different notices for {group.Key}; keep one (a year's notice is taken whole).");
                    }
                    continue;
                }
                byYear[group.Key] = days;
            }
        }
        return new WorkingDayCalendar(byYear.Values.SelectMany(d => d).ToDictionary(d => d.Date), new SortedSet<int>(byYear.Keys));
    }

    public bool Covers(int year) => _years.Contains(year);

    /// <summary>Whether people work on <paramref name="date"/>.</summary>
    /// <exception cref="RuleViolationException">CALENDAR_YEAR_NOT_COVERED: no notice for the date's year.</exception>
    public bool IsWorkingDay(DateOnly date)
    {
        EnsureCovered(date);
        return _days.TryGetValue(date, out var day) ? day.Kind == CalendarDayKind.Workday : !IsWeekend(date);
    }

    /// <summary>What the notice says of the date (a holiday or a make-up day), or null for an ordinary day.</summary>
    public CalendarDay? Describe(DateOnly date)
    {
        EnsureCovered(date);
        return _days.GetValueOrDefault(date);
    }

    /// <summary>
    /// The last day of a period of <paramref name="workingDays"/> working days that begins on
    /// <paramref name="firstDay"/> (which counts when it is a working day): the day a publicity of
    /// five working days (公示期不少于5个工作日) that starts then has run its course.
    /// </summary>
    public DateOnly LastDayOfPeriod(DateOnly firstDay, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingDays, 1);
        var day = firstDay;
        var counted = IsWorkingDay(day) ? 1 : 0;
        while (counted < workingDays)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }
        return day;
    }

    /// <summary>The <paramref name="workingDays"/>-th working day after <paramref name="date"/> (the date itself not counted).</summary>
    public DateOnly AddWorkingDays(DateOnly date, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingDays, 1);
        return LastDayOfPeriod(date.AddDays(1), workingDays);
    }

    /// <summary>Working days from <paramref name="first"/> to <paramref name="last"/>, both included; 0 when last is before first.</summary>
    public int CountWorkingDays(DateOnly first, DateOnly last)
    {
        var count = 0;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }
        return count;
    }

    internal static bool IsWeekend(DateOnly date) => date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private void EnsureCovered(DateOnly date)
    {
        if (!_years.Contains(date.Year))
        {
            var covered = _years.Count == 0 ? "none" : $"{_years.Min}–{_years.Max}";
            throw new RuleViolationException(NotCoveredReason,
                $"The working-day calendar has no State Council holiday notice for {date.Year} (covered: {covered}); " +
                $"{date:yyyy-MM-dd} cannot be judged until the operator adds that year's notice.",
                new Dictionary<string, string> { ["year"] = date.Year.ToString(CultureInfo.InvariantCulture) });
        }
    }

    private static IReadOnlyList<CalendarDay> LoadEmbedded()
    {
        using var stream = typeof(WorkingDayCalendar).Assembly.GetManifestResourceStream(EmbeddedName)
            ?? throw new InvalidOperationException($"The embedded calendar {EmbeddedName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return HolidayNoticeCsv.Parse(reader.ReadToEnd(), "the shipped calendar");
    }
}
