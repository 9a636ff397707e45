using System.Globalization;

namespace Credentials.Grpc.Protocol;

/// <summary>The <c>grpc-timeout</c> header: at most 8 digits and a unit (H, M, S, m, u, n).</summary>
public static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length < 2 || value.Length > 9)
        {
            return false;
        }
        long amount = 0;
        for (var i = 0; i < value.Length - 1; i++)
        {
            var c = value[i];
            if (c is < '0' or > '9')
            {
                return false;
            }
            amount = amount * 10 + (c - '0');
        }
        long ticks;
        switch (value[^1])
        {
            case 'H': ticks = amount * TimeSpan.TicksPerHour; break;
            case 'M': ticks = amount * TimeSpan.TicksPerMinute; break;
            case 'S': ticks = amount * TimeSpan.TicksPerSecond; break;
            case 'm': ticks = amount * TimeSpan.TicksPerMillisecond; break;
            case 'u': ticks = amount * 10; break;
            case 'n': ticks = amount / 100; break;
            default: return false;
        }
        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>The most precise unit that fits in 8 digits, rounded up so a deadline never shrinks.</summary>
    public static string Format(TimeSpan timeout)
    {
        var nanos = (decimal)Math.Max(timeout.Ticks, 1) * 100;
        (decimal Nanos, char Unit)[] units =
        [
            (1m, 'n'), (1_000m, 'u'), (1_000_000m, 'm'), (1_000_000_000m, 'S'),
            (60_000_000_000m, 'M'), (3_600_000_000_000m, 'H'),
        ];
        foreach (var (size, unit) in units)
        {
            var amount = decimal.Ceiling(nanos / size);
            if (amount <= MaxValue)
            {
                return ((long)amount).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }
        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
