namespace Credentials.Testing;

/// <summary>The sample data of the repository (samples/), copied next to the tests.</summary>
public static class Samples
{
    public static string DalianCommitteesCsvPath => Path.Combine(AppContext.BaseDirectory, "samples", "dalian-2024-committees.csv");

    public static string DalianCommitteesCsv => File.ReadAllText(DalianCommitteesCsvPath);

    /// <summary>
    /// A valid 18-character resident ID number (GB 11643) for a birth date and sequence: region
    /// 210202 (大连市中山区), with the check character computed, not copied.
    /// </summary>
    public static string ResidentId(DateOnly birth, int sequence, string region = "210202")
    {
        var body = $"{region}{birth:yyyyMMdd}{sequence:D3}";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }
}
