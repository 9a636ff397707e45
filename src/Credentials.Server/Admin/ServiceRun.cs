using Credentials.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Credentials.Server.Admin;

/// <summary>Runs the service: build the host, initialise a new data directory (printing the authority token once), serve until stopped.</summary>
public static class ServiceRun
{
    /// <inheritdoc cref="ServiceRunner"/>
    public static Task<int> RunAsync(string[] settings, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(settings, output, error, cancellationToken, started: null);

    /// <summary>As <see cref="ServiceRunner"/>; <paramref name="started"/> is told once the service listens.</summary>
    public static async Task<int> RunAsync(string[] settings, TextWriter output, TextWriter error, CancellationToken cancellationToken,
        Action<WebApplication>? started)
    {
        WebApplication? app = null;
        try
        {
            app = ServerHost.Build(settings);
            await Startup.InitializeAsync(app.Services, output);
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (Handlers.IsFailure(e) || e is InvalidOperationException or OptionsValidationException)
        {
            // Address in use (an InvalidOperationException), cleartext refused, TLS files, the data directory in use: the message says which.
            await error.WriteLineAsync($"credentials-server: the service could not start: {e.Message}");
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            return ServerExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await app!.DisposeAsync();
            return ServerExitCodes.Ok;
        }
        await using (app)
        {
            started?.Invoke(app);
            await app.WaitForShutdownAsync(cancellationToken);
        }
        return ServerExitCodes.Ok;
    }
}
