using Credentials.Core.Csv;
using Credentials.V1;

namespace Credentials.Core.Committees;

/// <summary>
/// Committee tables as the city notices publish them (samples/dalian-2024-committees.csv):
/// <c>code,name,level,series,specialties,meeting,deadline,organizer</c> with specialties
/// separated by ';' and level "senior" (副高级) or "intermediate" (中级). The notices give no
/// accreditation window, so the caller supplies one.
/// </summary>
public static class CommitteeCsv
{
    private static readonly string[] Header = ["code", "name", "level", "series", "specialties", "meeting", "deadline", "organizer"];

    public static IReadOnlyList<Committee> Parse(string csv, string region, DateOnly accreditedFrom, DateOnly accreditedUntil, DateTimeOffset now)
    {
        var rows = Rfc4180.ReadRows(csv).ToList();
        if (rows.Count == 0 || !rows[0].SequenceEqual(Header, StringComparer.OrdinalIgnoreCase))
        {
            throw new FormatException($"The first line must be: {string.Join(',', Header)}");
        }
        var committees = new List<Committee>();
        for (var i = 1; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Length == 1 && row[0].Length == 0)
            {
                continue;
            }
            if (row.Length != Header.Length)
            {
                throw new FormatException($"Line {i + 1} has {row.Length} fields, not {Header.Length}.");
            }
            var level = row[2].Trim().ToLowerInvariant() switch
            {
                "senior" => TitleLevel.DeputySenior,
                "full-senior" => TitleLevel.FullSenior,
                "intermediate" => TitleLevel.Intermediate,
                "assistant" => TitleLevel.Assistant,
                "junior" => TitleLevel.Junior,
                var other => throw new FormatException($"Line {i + 1}: unknown level '{other}'."),
            };
            committees.Add(new Committee(
                row[0].Trim().ToUpperInvariant(),
                Validation.Text.Normalize(row[1]),
                Validation.Text.Normalize(row[7]),
                region,
                Validation.Text.Normalize(row[3]),
                row[4].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Validation.Text.Normalize).Distinct().ToList(),
                [level],
                accreditedFrom,
                accreditedUntil,
                CommitteeState.Active,
                Validation.Text.Normalize(row[5]),
                [],
                now,
                now));
        }
        return committees;
    }

    /// <summary>The default window for seeding the 2024 tables: 2024-01-01 to 2026-12-31, the 3 years a filing may last.</summary>
    public static (DateOnly From, DateOnly Until) DefaultWindow => (new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31));
}
