using System.Globalization;

namespace Credentials.Grpc.Protocol;

/// <summary>The decimal strings of status codes, allocated once.</summary>
internal static class StatusCodeStrings
{
    private static readonly string[] Strings =
        Enumerable.Range(0, StatusCodeNames.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    public static string Get(StatusCode code) =>
        (uint)code < (uint)Strings.Length ? Strings[(int)code] : ((int)code).ToString(CultureInfo.InvariantCulture);
}
