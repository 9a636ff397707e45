using Credentials.Cli.Hosting;
using Credentials.Core.Csv;
using Credentials.V1;

namespace Credentials.Cli.Certificates;

/// <summary>
/// A review session's results to issue (issue --csv): UTF-8, RFC 4180, a header row naming the
/// columns of <see cref="SpecFields.All"/> in any order (document_type and review_year may be
/// left out), then one row per certificate. Empty rows are skipped. Every row is checked before
/// anything is sent; all problems are reported at once.
/// </summary>
internal static class CertificateCsv
{
    /// <summary>A spec and the row it came from (the header is row 1).</summary>
    public sealed record Row(int Number, CertificateSpec Spec);

    public static IReadOnlyList<Row> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--csv: cannot read {path}: {e.Message}");
        }
        return Parse(text, path);
    }

    public static IReadOnlyList<Row> Parse(string text, string name)
    {
        var rows = Rfc4180.ReadRows(text).ToList();
        if (rows.Count == 0)
        {
            throw new UsageException($"{name}: empty; the first row names the columns: {string.Join(',', SpecFields.All)}");
        }
        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var unknown = header.Where(h => !SpecFields.All.Contains(h)).ToList();
        var missing = SpecFields.All.Except(SpecFields.Optional).Where(c => !header.Contains(c)).ToList();
        var repeated = header.GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (unknown.Count > 0 || missing.Count > 0 || repeated.Count > 0)
        {
            throw new UsageException($"{name}: header row: "
                + string.Join("; ", new[]
                {
                    unknown.Count > 0 ? "unknown columns " + string.Join(", ", unknown) : null,
                    missing.Count > 0 ? "missing columns " + string.Join(", ", missing) : null,
                    repeated.Count > 0 ? "repeated columns " + string.Join(", ", repeated) : null,
                }.Where(p => p is not null))
                + $". The columns are: {string.Join(',', SpecFields.All)}");
        }

        var specs = new List<Row>();
        var problems = new List<string>();
        for (var i = 1; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            if (row.Length != header.Length)
            {
                problems.Add($"row {i + 1}: {row.Length} fields, the header has {header.Length}.");
                continue;
            }
            var values = header.Zip(row).ToDictionary(p => p.First, p => (string?)p.Second);
            try
            {
                specs.Add(new Row(i + 1, SpecFields.Build(values, $"row {i + 1}", column => column)));
            }
            catch (UsageException e)
            {
                problems.Add(e.Message);
            }
        }
        if (problems.Count > 0)
        {
            const int Shown = 20;
            throw new UsageException($"{name}: {problems.Count} row(s) are wrong; nothing was issued:\n  "
                + string.Join("\n  ", problems.Take(Shown)) + (problems.Count > Shown ? $"\n  ... and {problems.Count - Shown} more" : ""));
        }
        if (specs.Count == 0)
        {
            throw new UsageException($"{name}: no rows after the header.");
        }
        return specs;
    }
}
