using System.Globalization;
using System.Net;

namespace Credentials.Server.Telemetry;

/// <summary>
/// The "Telemetry" section: where metrics, traces and logs go besides the console. Everything is
/// off by default: the instruments exist, but nothing listens to them, so they cost a check each.
/// Checked at start-up (<see cref="Validate"/>): a bad address or endpoint stops the server with
/// a message naming the setting.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public PrometheusOptions Prometheus { get; set; } = new();

    public OtlpOptions Otlp { get; set; } = new();

    /// <summary>
    /// Share of the traces started here that are recorded (0 to 1; default 1). A call that comes
    /// with a sampled W3C traceparent is recorded whatever this says, as its caller asked.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    public bool TracingEnabled => Otlp.Enabled && Otlp.Traces;

    public bool MetricsEnabled => Prometheus.Enabled || (Otlp.Enabled && Otlp.Metrics);

    public static TelemetryOptions Load(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException("Invalid telemetry settings: " + string.Join(" ", problems));
        }
        return options;
    }

    /// <summary>What is wrong with the settings, one sentence each naming the setting; empty when nothing is.</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        if (Prometheus.Enabled && PrometheusOptions.ParseUrl(Prometheus.Url, out var error) is null)
        {
            problems.Add($"Telemetry:Prometheus:Url '{Prometheus.Url}' {error}.");
        }
        if (Otlp.Enabled)
        {
            if (!Uri.TryCreate(Otlp.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")
                || string.IsNullOrEmpty(endpoint.Host) || !string.IsNullOrEmpty(endpoint.UserInfo))
            {
                problems.Add($"Telemetry:Otlp:Endpoint '{Otlp.Endpoint}' must be an absolute http:// or https:// URL (e.g. http://127.0.0.1:4317).");
            }
            if (Otlp.Protocol is not (OtlpOptions.Grpc or OtlpOptions.HttpProtobuf))
            {
                problems.Add($"Telemetry:Otlp:Protocol '{Otlp.Protocol}' must be '{OtlpOptions.Grpc}' or '{OtlpOptions.HttpProtobuf}'.");
            }
        }
        if (double.IsNaN(TraceSampleRatio) || TraceSampleRatio is < 0 or > 1)
        {
            problems.Add($"Telemetry:TraceSampleRatio {TraceSampleRatio.ToString(CultureInfo.InvariantCulture)} must be between 0 and 1.");
        }
        return problems;
    }
}

/// <summary>
/// The Prometheus scrape endpoint: <c>GET /metrics</c> over plain HTTP/1.1 on an address of its
/// own, never on the gRPC address (which is HTTP/2 only and may face the internet). Off unless
/// <see cref="Url"/> is set, e.g. <c>http://127.0.0.1:9464</c> (port 0: any free port, as tests use).
/// </summary>
public sealed class PrometheusOptions
{
    /// <summary>http://ADDRESS:PORT with an IP address, localhost or * (every address); empty: off.</summary>
    public string? Url { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>Where to listen for <paramref name="url"/>; null with the reason when it is not a usable address.</summary>
    public static IPEndPoint? ParseUrl(string? url, out string? error)
    {
        const string scheme = "http://";
        error = "must be http://ADDRESS:PORT (an IP address, localhost or *, and a port; the path is always /metrics)";
        if (url is null || !url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var authority = url[scheme.Length..];
        if (authority.EndsWith("/metrics", StringComparison.Ordinal))
        {
            authority = authority[..^"/metrics".Length];
        }
        authority = authority.TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > IPEndPoint.MaxPort)
        {
            return null;
        }
        var host = authority[..colon];
        var address = host switch
        {
            "*" or "+" => IPAddress.IPv6Any,
            "localhost" => IPAddress.Loopback,
            ['[', .. var inner, ']'] => IPAddress.TryParse(inner, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? v6 : null,
            _ => IPAddress.TryParse(host, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? v4 : null,
        };
        if (address is null)
        {
            return null;
        }
        error = null;
        return new IPEndPoint(address, port);
    }
}

/// <summary>
/// Export over OTLP to a collector (traces, metrics and logs) when <see cref="Endpoint"/> is set.
/// The exporter's other settings (headers, timeout, the metric interval) come from the standard
/// OTEL_EXPORTER_OTLP_* and OTEL_METRIC_EXPORT_INTERVAL environment variables.
/// </summary>
public sealed class OtlpOptions
{
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The collector, e.g. http://127.0.0.1:4317 (gRPC) or http://127.0.0.1:4318 (http/protobuf); empty: off.</summary>
    public string? Endpoint { get; set; }

    /// <summary>"grpc" (default) or "http/protobuf".</summary>
    public string Protocol { get; set; } = Grpc;

    public bool Traces { get; set; } = true;

    public bool Metrics { get; set; } = true;

    public bool Logs { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);
}
