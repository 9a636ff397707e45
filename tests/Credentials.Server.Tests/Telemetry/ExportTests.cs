using System.Collections.Concurrent;
using Credentials.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Credentials.Server.Tests.Telemetry;

/// <summary>
/// Telemetry off (the default) is no provider and no exporter thread; OTLP configured exports
/// traces, metrics and logs to the collector it names.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class ExportTests
{
    [Fact]
    public async Task Defaults_NoProviderAndNoExporterThread()
    {
        await using var server = await TestServer.StartAsync();

        await server.Diagnostics().PingAsync(new PingRequest());

        Assert.Null(server.Services.GetService<TracerProvider>());
        Assert.Null(server.Services.GetService<MeterProvider>());
        Assert.Null(server.Services.GetService<LoggerProvider>());
        Assert.Empty(OpenTelemetryThreads());
    }

    [Fact]
    public async Task OtlpEndpoint_TracesMetricsAndLogs_ReachTheCollector()
    {
        var received = new ConcurrentQueue<(string Path, string ContentType, long Bytes)>();
        await using var collector = await StartCollectorAsync(received);
        var server = await TestServer.StartAsync(null, $"--Telemetry:Otlp:Endpoint={collector.Urls.First()}", "--Telemetry:Otlp:Protocol=http/protobuf");
        try
        {
            await server.Diagnostics().PingAsync(new PingRequest());

            Assert.NotNull(server.Services.GetService<TracerProvider>());
            Assert.NotEmpty(OpenTelemetryThreads());
        }
        finally
        {
            // Disposing the providers exports what is left.
            await server.DisposeAsync();
        }

        Assert.Contains(received, r => r.Path == "/v1/traces" && r.Bytes > 0);
        Assert.Contains(received, r => r.Path == "/v1/metrics" && r.Bytes > 0);
        Assert.Contains(received, r => r.Path == "/v1/logs" && r.Bytes > 0);
        Assert.All(received, r => Assert.Equal("application/x-protobuf", r.ContentType));
    }

    /// <summary>An OTLP/HTTP receiver that keeps what was posted to it, and answers as a collector does.</summary>
    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<(string, string, long)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            received.Enqueue((http.Request.Path.Value!, http.Request.ContentType ?? "", body.Length));
            http.Response.ContentType = "application/x-protobuf";
        });
        // Once started, Urls holds the port it got.
        await app.StartAsync();
        return app;
    }

    /// <summary>Threads of OpenTelemetry's exporters, by the name Linux keeps (15 characters: "OpenTelemetry-B...").</summary>
    private static List<string> OpenTelemetryThreads() =>
        Directory.GetDirectories("/proc/self/task")
            .Select(task => File.Exists(Path.Combine(task, "comm")) ? File.ReadAllText(Path.Combine(task, "comm")).Trim() : "")
            .Where(name => name.StartsWith("OpenTelemetry", StringComparison.Ordinal))
            .ToList();
}
