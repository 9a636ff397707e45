using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Credentials.Server.Operations;

/// <summary>
/// The store as an ASP.NET Core health check: Unhealthy while <see cref="StoreHealth"/> says it is
/// unusable, which grpc.health.v1 reports as NOT_SERVING. It reads a flag, so Check may run it on
/// every call.
/// </summary>
public sealed class StoreHealthCheck(StoreHealth store) : IHealthCheck
{
    public const string Name = "store";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.IsUsable
            ? HealthCheckResult.Healthy("The store takes writes.")
            : HealthCheckResult.Unhealthy("The store is unusable (disk full, read-only or failing); writes get UNAVAILABLE."));
}
