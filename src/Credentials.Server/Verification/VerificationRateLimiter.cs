using System.Threading.RateLimiting;
using Credentials.Core.Principals;
using Credentials.Server.Errors;
using Credentials.Server.Security;
using Credentials.Server.Telemetry;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Credentials.Server.Verification;

/// <summary>
/// Rate limits on verification (System.Threading.RateLimiting, the limiters behind ASP.NET
/// Core's rate limiting middleware): fixed windows per client address for anonymous callers and
/// per principal for employers (and committees when configured), so that nobody can walk the
/// number space or probe ID numbers. Over the limit: RESOURCE_EXHAUSTED with google.rpc.RetryInfo.
/// </summary>
public sealed class VerificationRateLimiter : IDisposable
{
    public const string Reason = "RATE_LIMITED";

    private readonly PartitionedRateLimiter<string>? _anonymous;
    private readonly PartitionedRateLimiter<string>? _employer;
    private readonly PartitionedRateLimiter<string>? _committee;
    private readonly ServerMetrics _metrics;

    public VerificationRateLimiter(RateLimitOptions options, ServerMetrics metrics)
    {
        _metrics = metrics;
        _anonymous = Create(options.Anonymous);
        _employer = Create(options.Employer);
        _committee = Create(options.Committee);
    }

    /// <summary>Takes one permit for the caller of <paramref name="context"/>; throws RESOURCE_EXHAUSTED when there is none.</summary>
    public void Acquire(ServerCallContext context)
    {
        var caller = context.Caller();
        var (limiter, key) = caller?.Role switch
        {
            null => (_anonymous, context.ClientAddress()),
            Role.Employer => (_employer, caller.Name),
            Role.Committee => (_committee, caller.Name),
            _ => (null, ""),
        };
        if (limiter is null)
        {
            return;
        }
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return;
        }
        _metrics.RateLimited(caller?.Role.ToName() ?? VerificationCaller.AnonymousRole);
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        throw DomainErrors.WithDetails(Code.ResourceExhausted,
            $"Too many verifications from this {(caller is null ? "address" : "principal")}; retry in {seconds} s.",
            new ErrorInfo { Reason = Reason, Domain = DomainErrors.Domain },
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)) });
    }

    private static PartitionedRateLimiter<string>? Create(RateLimitRule rule) =>
        rule.IsEnabled
            ? PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = rule.Permits,
                Window = rule.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }))
            : null;

    public void Dispose()
    {
        _anonymous?.Dispose();
        _employer?.Dispose();
        _committee?.Dispose();
    }
}
