using System.Net;
using System.Net.Sockets;
using Credentials.Server.Hosting;
using Credentials.Server.Telemetry;
using Credentials.Testing;

namespace Credentials.Server.Tests.Telemetry;

/// <summary>Telemetry settings are checked at start-up: a bad one stops the server with a message naming it.</summary>
public sealed class TelemetryOptionsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9464", "127.0.0.1", 9464)]
    [InlineData("http://127.0.0.1:9464/metrics", "127.0.0.1", 9464)]
    [InlineData("http://localhost:9464/", "127.0.0.1", 9464)]
    [InlineData("http://[::1]:9464", "::1", 9464)]
    [InlineData("http://*:9464", "::", 9464)]
    [InlineData("http://127.0.0.1:0", "127.0.0.1", 0)]
    public void ParseUrl_Usable_GivesTheAddress(string url, string address, int port)
    {
        var endpoint = PrometheusOptions.ParseUrl(url, out var error);

        Assert.Null(error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endpoint);
    }

    [Theory]
    [InlineData("127.0.0.1:9464")]
    [InlineData("https://127.0.0.1:9464")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://127.0.0.1:65536")]
    [InlineData("http://127.0.0.1:-1")]
    [InlineData("http://metrics.example:9464")]
    [InlineData("http://127.0.0.1:9464/prometheus")]
    public void Validate_UnusablePrometheusUrl_NamesTheSetting(string url)
    {
        var options = new TelemetryOptions { Prometheus = { Url = url } };

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith($"Telemetry:Prometheus:Url '{url}' must be http://ADDRESS:PORT", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("collector:4317", null, "Telemetry:Otlp:Endpoint")]
    [InlineData("ftp://127.0.0.1:4317", null, "Telemetry:Otlp:Endpoint")]
    [InlineData("http://127.0.0.1:4317", "http/json", "Telemetry:Otlp:Protocol")]
    public void Validate_BadOtlpSettings_NameTheSetting(string endpoint, string? protocol, string setting)
    {
        var options = new TelemetryOptions { Otlp = { Endpoint = endpoint, Protocol = protocol ?? OtlpOptions.Grpc } };

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith(setting, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Validate_SampleRatioOutsideZeroToOne_NamesTheSetting(double ratio)
    {
        var problem = Assert.Single(new TelemetryOptions { TraceSampleRatio = ratio }.Validate());

        Assert.StartsWith("Telemetry:TraceSampleRatio", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_HaveNoProblemAndTurnNothingOn()
    {
        var options = new TelemetryOptions();

        Assert.Empty(options.Validate());
        Assert.False(options.MetricsEnabled);
        Assert.False(options.TracingEnabled);
    }

    [Fact]
    public void Build_BadPrometheusUrl_RefusesToStartNamingTheSetting()
    {
        using var directory = new TempDirectory();

        var error = Assert.Throws<InvalidOperationException>(() =>
            ServerHost.Build(["--urls", "http://127.0.0.1:0", "--data-dir", directory.Path, "--Telemetry:Prometheus:Url=http://127.0.0.1"]));

        Assert.Contains("Telemetry:Prometheus:Url 'http://127.0.0.1' must be http://ADDRESS:PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PrometheusPortTaken_RefusesToStartNamingTheSetting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        using var directory = new TempDirectory();
        await using var app = ServerHost.Build(["--urls", "http://127.0.0.1:0", "--data-dir", directory.Path, $"--Telemetry:Prometheus:Url={url}"]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.StartsWith($"Telemetry:Prometheus:Url {url}: cannot listen", error.Message, StringComparison.Ordinal);
    }
}
