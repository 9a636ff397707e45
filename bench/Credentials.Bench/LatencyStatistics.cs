namespace Credentials.Bench;

/// <summary>Percentiles of a set of latencies (nearest rank on the sorted values).</summary>
internal static class LatencyStatistics
{
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];
    }

    public static string Summary(IReadOnlyCollection<double> values, string unit) =>
        $"p50 {Percentile(values, 0.50):F2} {unit}, p99 {Percentile(values, 0.99):F2} {unit}, max {values.Max():F2} {unit}";
}
