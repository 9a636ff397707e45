using System.Globalization;

namespace Credentials.Cli.Hosting;

/// <summary>Dates on the command line: yyyy-MM-dd.</summary>
internal static class CommandDates
{
    public static DateOnly Parse(string text, string option) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UsageException($"{option}: '{text}' is not a date yyyy-MM-dd.");
}
