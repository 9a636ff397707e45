using System.Diagnostics;

namespace Credentials.Server.Telemetry;

/// <summary>
/// The server's own spans, inside a call's request span, where a step tells something the request
/// span does not: signing. Tags hold counts and key ids, never what was signed.
/// </summary>
public static class ServerActivities
{
    public const string SourceName = "Credentials.Server";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Signing <paramref name="count"/> certificates with <paramref name="keyId"/>; null when nobody records spans.</summary>
    public static Activity? StartSigning(int count, string keyId)
    {
        var activity = Source.StartActivity("credentials.sign");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("credentials.certificates.count", count);
            activity.SetTag("credentials.signing.key_id", keyId);
        }
        return activity;
    }
}
