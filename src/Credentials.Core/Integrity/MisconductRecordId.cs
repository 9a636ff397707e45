using System.Globalization;

namespace Credentials.Core.Integrity;

/// <summary>
/// Record ids: "MR-{year}-{serial:D6}", e.g. "MR-2024-000123": the year (Asia/Shanghai) in which
/// the record was made and its serial in that year. Stable and never reused; they sort in the
/// order records were made.
/// </summary>
public static class MisconductRecordId
{
    public const int MaxSerial = 999_999;
    private const string Prefix = "MR-";

    public static string Format(int year, int serial)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(serial, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(serial, MaxSerial);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{year:D4}-{serial:D6}");
    }

    public static string Normalize(string? id) => (id ?? "").Trim().ToUpperInvariant();

    /// <summary>Null when <paramref name="id"/> (normalised) has the form of a record id; otherwise why not.</summary>
    public static string? Check(string id)
    {
        var wellFormed = id.Length == 14 && id.StartsWith(Prefix, StringComparison.Ordinal) && id[7] == '-'
            && !id.AsSpan(3, 4).ContainsAnyExceptInRange('0', '9')
            && !id.AsSpan(8).ContainsAnyExceptInRange('0', '9')
            && id[8..] != "000000";
        return wellFormed ? null : "must look like MR-2024-000123";
    }
}
