using System.Net;
using Credentials.Core.Principals;
using Credentials.Server.Telemetry;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Telemetry;

/// <summary>
/// The Prometheus endpoint of a real server, scraped over HTTP/1.1 on its own port after real calls
/// of every kind: the counts are exact, and the gRPC port does not serve them.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private const string Calls = "credentials_rpc_server_calls_total";

    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(null, "--Telemetry:Prometheus:Url=http://127.0.0.1:0", "--RateLimits:Anonymous:Permits=2");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Uri MetricsAddress => _server.Services.GetRequiredService<PrometheusEndpoint>().Address!;

    [Fact]
    public async Task Scrape_AfterRealCalls_CountsCallsIssuanceVerificationAndTheWriter()
    {
        await _server.SeedDalianCommitteesAsync();
        for (var i = 0; i < 3; i++)
        {
            await _server.Diagnostics().PingAsync(new PingRequest());
        }
        var certificate = await _server.IssueAsync(1);
        await _server.Certificates(_server.AuthorityToken).BatchIssueCertificatesAsync(
            new BatchIssueCertificatesRequest { RequestId = "batch", CommitteeCode = "DL-S01", Items = { Spec(2), Spec(3) } });
        var duplicate = await Assert.ThrowsAsync<RpcException>(() => _server.Certificates(_server.AuthorityToken).IssueCertificateAsync(Issue("dup", person: 1)).ResponseAsync);
        var anonymous = _server.Verification();
        await anonymous.VerifyCertificateAsync(new VerifyCertificateRequest { Number = certificate.Number, HolderName = "张伟" });
        await anonymous.VerifyCertificateAsync(new VerifyCertificateRequest { Number = certificate.Number, HolderName = "李娜" });
        var limited = await Assert.ThrowsAsync<RpcException>(() =>
            anonymous.VerifyCertificateAsync(new VerifyCertificateRequest { Number = certificate.Number, HolderName = "张伟" }).ResponseAsync);

        var metrics = await PrometheusScrape.GetAsync(MetricsAddress);

        Assert.Equal(StatusCode.FailedPrecondition, duplicate.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        Assert.Equal(3, metrics.Value(Calls, Method("DiagnosticsService/Ping"), Status("OK")));
        Assert.Equal(1, metrics.Value(Calls, Method("CertificateService/IssueCertificate"), Status("OK")));
        Assert.Equal(1, metrics.Value(Calls, Method("CertificateService/IssueCertificate"), Status("FAILED_PRECONDITION")));
        Assert.Equal(1, metrics.Value(Calls, Method("CertificateService/BatchIssueCertificates"), Status("OK")));
        Assert.Equal(2, metrics.Value(Calls, Method("VerificationService/VerifyCertificate"), Status("OK")));
        Assert.Equal(1, metrics.Value(Calls, Method("VerificationService/VerifyCertificate"), Status("RESOURCE_EXHAUSTED")));

        Assert.Equal(2, metrics.Value("credentials_issuance_duration_seconds_count", Outcome("issued")));
        Assert.Equal(1, metrics.Value("credentials_issuance_duration_seconds_count", Outcome("DUPLICATE_LEVEL_IN_YEAR")));
        Assert.Equal(3, metrics.Value("credentials_certificates_issued_total"));
        Assert.Equal(1, metrics.Value("credentials_verification_duration_seconds_count", ("credentials_verification_method", "number"), Outcome("VALID")));
        Assert.Equal(1, metrics.Value("credentials_verification_duration_seconds_count", ("credentials_verification_method", "number"), Outcome("NOT_FOUND")));
        Assert.Equal(1, metrics.Value("credentials_rate_limit_refusals_total", ("credentials_caller_role", "anonymous")));

        // The seed, three certificates and their refusal went through the writer's group commits.
        Assert.True(metrics.Value("credentials_store_writer_commit_duration_seconds_count", Outcome("committed")) >= 3);
        Assert.True(metrics.Value("credentials_store_writer_group_size_sum") >= 4);
        Assert.Equal(_server.Count("ledger_events"), metrics.Value("credentials_ledger_size"));
        Assert.True(metrics.Has("kestrel_active_connections"), "Kestrel's meter is exported");
        Assert.False(metrics.Has("kestrel_queued_requests"), "but not its instrument of every request");
        Assert.True(metrics.Has("dotnet_gc_collections_total") || metrics.Has("dotnet_process_cpu_time_seconds_total"), "the runtime's meter is exported");
    }

    [Fact]
    public async Task Metrics_OnTheGrpcPort_AreNotServed()
    {
        await _server.Diagnostics().PingAsync(new PingRequest());
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.GetAsync(new Uri(_server.Address, PrometheusEndpoint.Path));
        var body = await response.Content.ReadAsStringAsync();

        Assert.NotEqual(_server.Address.Port, MetricsAddress.Port);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("credentials_", body, StringComparison.Ordinal);
        // While the metrics port serves them.
        Assert.Equal(1, (await PrometheusScrape.GetAsync(MetricsAddress)).Value(Calls, Method("DiagnosticsService/Ping"), Status("OK")));
    }

    [Fact]
    public async Task MetricsPort_OtherPaths_AreNotFound()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(MetricsAddress, "/"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static (string, string) Method(string method) => ("rpc_method", "credentials.v1." + method);

    private static (string, string) Status(string status) => ("rpc_response_status_code", status);

    private static (string, string) Outcome(string outcome) => ("credentials_outcome", outcome);
}
