namespace Credentials.Server.Verification;

/// <summary>
/// The "RateLimits" section of appsettings.json: how many verification calls (VerifyCertificate,
/// VerifyEnvelope, VerifyShareCode, each item of VerifyStream, and GetIntegrityStatus) a caller may make per
/// window. Anonymous callers are counted per client address, principals per name. Permits 0
/// switches a limit off. The authority and the platform are never limited.
/// </summary>
public sealed class RateLimitOptions
{
    public RateLimitRule Anonymous { get; set; } = new() { Permits = 60, Window = TimeSpan.FromMinutes(1) };

    public RateLimitRule Employer { get; set; } = new() { Permits = 600, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Committees verify rarely; off unless configured.</summary>
    public RateLimitRule Committee { get; set; } = new();

    /// <summary>Signed-in holders, per holder: as anonymous callers.</summary>
    public RateLimitRule Holder { get; set; } = new() { Permits = 60, Window = TimeSpan.FromMinutes(1) };
}

/// <summary>At most <see cref="Permits"/> calls per <see cref="Window"/> (fixed windows); 0 permits: no limit.</summary>
public sealed class RateLimitRule
{
    public int Permits { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsEnabled => Permits > 0 && Window > TimeSpan.Zero;
}
