using Microsoft.Extensions.Hosting;

namespace Credentials.Server.Operations;

/// <summary>
/// Probes the store every interval (<see cref="Hosting.ServerOptions.StoreProbeInterval"/>) on the injected
/// clock, so health also turns back to SERVING when the condition clears while no client writes.
/// </summary>
public sealed class StoreProbe(StoreHealth health, TimeSpan interval, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await health.ProbeAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }
}
