using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry.Metrics;

namespace Credentials.Server.Telemetry;

/// <summary>
/// Serves <c>GET /metrics</c> (Prometheus text format, from the host's <see cref="MeterProvider"/>)
/// on <c>Telemetry:Prometheus:Url</c>, with a Kestrel of its own: HTTP/1.1, as scrapers speak it,
/// and apart from the gRPC address, so that the metrics are not reachable where the service is and
/// the service's middleware (request ids, authentication, call counts) never sees a scrape. It
/// starts before the gRPC server; a port that is taken stops the host with a message naming the setting.
/// </summary>
public sealed partial class PrometheusEndpoint(TelemetryOptions options, MeterProvider meters, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    public const string Path = "/metrics";

    private WebApplication? _app;

    /// <summary>Where the metrics are, once started: http://ADDRESS:PORT/metrics with the port actually bound.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = PrometheusOptions.ParseUrl(options.Prometheus.Url, out _)!;
        // Empty: none of the host's configuration (urls, appsettings), only what is set here. No
        // logging and no lifetime of its own either: its start and stop are the host's, and the
        // host's console says "Now listening on" for the gRPC address only, as scripts expect.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IHostLifetime, HostOwnedLifetime>();
        // Sources of its own, so that the server's tracing (which listens to ASP.NET Core's) does not trace scrapes.
        builder.Services.AddSingleton(new ActivitySource("Credentials.Server.Metrics"));
        builder.Services.AddSingleton(new DiagnosticListener("Credentials.Server.Metrics"));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meters, predicate: null, path: Path, configureBranchedPipeline: null, optionsName: null);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"Telemetry:Prometheus:Url {options.Prometheus.Url}: cannot listen on {endpoint}: {e.Message}", e);
        }
        _app = app;
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(new Uri(bound), Path);
        LogListening(loggers.CreateLogger<PrometheusEndpoint>(), Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync();
        }
    }

    /// <summary>Started and stopped by the host: no console signals of its own.</summary>
    private sealed class HostOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Metrics for Prometheus at {Address}")]
    private static partial void LogListening(ILogger logger, Uri address);
}
