using Credentials.Core.Validation;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Core.Time;

/// <summary>google.protobuf.Timestamp from requests: valid only between years 1 and 9999 with nanos in [0, 1e9).</summary>
public static class Timestamps
{
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    /// <summary>The instant, null when unset; adds a violation and returns null when it is out of range.</summary>
    public static DateTimeOffset? Read(Timestamp? timestamp, string field, Violations violations)
    {
        if (timestamp is null)
        {
            return null;
        }
        if (timestamp.Seconds is < MinSeconds or > MaxSeconds || timestamp.Nanos is < 0 or > 999_999_999)
        {
            violations.Add(field, "must be a valid timestamp between the years 1 and 9999");
            return null;
        }
        return timestamp.ToDateTimeOffset();
    }
}
