using System.Diagnostics;
using System.Reflection;
using Credentials.Store.Writing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Credentials.Server.Telemetry;

/// <summary>
/// OpenTelemetry for the host. What is observed is registered always (our meters and activity
/// sources, ASP.NET Core's request spans with their gRPC attributes, Kestrel's and the runtime's
/// meters); providers and exporters exist only for what <see cref="TelemetryOptions"/> turns on, so a
/// server with the defaults has no OpenTelemetry provider, no exporter thread and no listener.
/// </summary>
public static class TelemetryRegistration
{
    public const string ServiceName = "credentials-server";

    /// <summary>
    /// Settings of the instrumentation packages, added to the host's configuration: the ASP.NET Core
    /// instrumentation adds rpc.* attributes (method, status) to gRPC request spans only when asked.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> InstrumentationSettings = new Dictionary<string, string?>
    {
        ["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_ENABLE_GRPC_INSTRUMENTATION"] = "true",
    };

    /// <summary>Meters exported besides ours: connections and TLS handshakes (Kestrel), GC, thread pool, CPU and memory (.NET).</summary>
    private static readonly string[] FrameworkMeters = ["Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    public static IServiceCollection AddCredentialsTelemetry(this IServiceCollection services, TelemetryOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<ServerMetrics>();
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(ServerActivities.SourceName, WriterTelemetry.SourceName)
            .AddAspNetCoreInstrumentation(aspNetCore =>
            {
                // Exceptions may carry anything, personal data included: never recorded on spans.
                aspNetCore.RecordException = false;
                aspNetCore.EnrichWithHttpResponse = WithoutClientAddress;
            }));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .AddMeter(ServerMetrics.MeterName, WriterTelemetry.MeterName)
            .AddMeter(FrameworkMeters)
            // Kestrel's one instrument that is updated on every request (twice): left out, it is not even measured.
            .AddView("kestrel.queued_requests", MetricStreamConfiguration.Drop));

        if (!options.TracingEnabled && !options.MetricsEnabled && !(options.Otlp.Enabled && options.Otlp.Logs))
        {
            return services;
        }
        var version = typeof(TelemetryRegistration).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: version));
        var otlp = options.Otlp;
        if (options.TracingEnabled)
        {
            telemetry.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddOtlpExporter(exporter => Configure(exporter, otlp, "traces")));
        }
        if (options.MetricsEnabled)
        {
            telemetry.WithMetrics(metrics =>
            {
                if (options.Prometheus.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }
                if (otlp.Enabled && otlp.Metrics)
                {
                    metrics.AddOtlpExporter(exporter => Configure(exporter, otlp, "metrics"));
                }
            });
        }
        if (otlp.Enabled && otlp.Logs)
        {
            telemetry.WithLogging(logs => logs.AddOtlpExporter(exporter => Configure(exporter, otlp, "logs")),
                logging => logging.IncludeScopes = true);
        }
        if (options.Prometheus.Enabled)
        {
            services.AddSingleton<PrometheusEndpoint>();
            services.AddHostedService(sp => sp.GetRequiredService<PrometheusEndpoint>());
        }
        return services;
    }

    /// <summary>
    /// Spans leave the server for a collector that the access rules of the access log and the
    /// audit trail (which keep the client's address) do not cover: the address is left out.
    /// </summary>
    private static void WithoutClientAddress(Activity activity, HttpResponse response)
    {
        activity.SetTag("client.address", null);
        activity.SetTag("network.peer.address", null);
        activity.SetTag("network.peer.port", null);
    }

    /// <summary>
    /// The collector's address. Set in code, the exporter takes an http/protobuf endpoint as the
    /// whole URL, so the signal's path is added here, as the OTLP specification's variable would.
    /// </summary>
    private static void Configure(OtlpExporterOptions exporter, OtlpOptions otlp, string signal)
    {
        var endpoint = otlp.Endpoint!.TrimEnd('/');
        if (otlp.Protocol == OtlpOptions.HttpProtobuf)
        {
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = new Uri($"{endpoint}/v1/{signal}");
        }
        else
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = new Uri(endpoint);
        }
    }
}
