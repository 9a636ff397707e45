using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Credentials.Server.Operations;

/// <summary>
/// Publishes the health report as soon as the store's health changes. grpc.health.v1's Check runs
/// the health checks on every call (Grpc.AspNetCore.HealthChecks without UseHealthChecksCache), but
/// Watch streams only what an <see cref="IHealthCheckPublisher"/> publishes, and ASP.NET Core's
/// publisher runs on a period (30 s by default, 1 s at the least): without this, a watcher would
/// hear of a failed store up to a period late. Publications run one at a time, and each runs the
/// checks when it starts, so the last one reports the latest state.
/// </summary>
public sealed partial class HealthPublication : IHostedService
{
    private readonly StoreHealth _store;
    private readonly HealthCheckService _checks;
    private readonly IEnumerable<IHealthCheckPublisher> _publishers;
    private readonly ILogger<HealthPublication> _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    public HealthPublication(StoreHealth store, HealthCheckService checks, IEnumerable<IHealthCheckPublisher> publishers, ILogger<HealthPublication> logger)
    {
        _store = store;
        _checks = checks;
        _publishers = publishers;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _store.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _store.Changed -= OnChanged;
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>Off the writer's thread: it must not wait for the checks.</summary>
    private void OnChanged() => _ = Task.Run(PublishAsync);

    private async Task PublishAsync()
    {
        var cancellationToken = _stopping.Token;
        try
        {
            await _oneAtATime.WaitAsync(cancellationToken);
            try
            {
                var report = await _checks.CheckHealthAsync(cancellationToken);
                foreach (var publisher in _publishers)
                {
                    await publisher.PublishAsync(report, cancellationToken);
                }
            }
            finally
            {
                _oneAtATime.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping; Watch calls end with NOT_SERVING anyway.
        }
        catch (Exception e)
        {
            LogPublicationFailed(_logger, e);
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Error, Message = "Publishing the health report failed")]
    private static partial void LogPublicationFailed(ILogger logger, Exception exception);
}
