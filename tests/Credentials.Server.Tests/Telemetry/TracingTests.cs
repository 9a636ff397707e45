using System.Diagnostics;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Grpc.Core;
using StatusCode = Grpc.Core.StatusCode;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Credentials.Server.Tests.Telemetry;

/// <summary>
/// Spans of a real server, captured with OpenTelemetry's in-memory exporter: every call's request
/// span carries its gRPC method and status, refusals before the service included, and issuance
/// shows its signing and its group commit.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingTests : IAsyncLifetime
{
    private readonly SpanCollection _spans = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartWithAsync(builder => builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(_spans)));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Ping_RequestSpan_CarriesMethodAndStatus()
    {
        await _server.Diagnostics().PingAsync(new PingRequest());

        var span = await _spans.WaitForAsync(s => Tag(s, "rpc.method") == "credentials.v1.DiagnosticsService/Ping");

        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("grpc", Tag(span, "rpc.system.name") ?? Tag(span, "rpc.system"));
        Assert.Equal("OK", Tag(span, "rpc.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        // The client's address stays with the access log and the audit trail.
        Assert.Null(span.GetTagItem("network.peer.address"));
        Assert.Null(span.GetTagItem("client.address"));
    }

    [Fact]
    public async Task RefusedBeforeTheService_RequestSpan_CarriesMethodAndStatus()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Diagnostics().GetCallStatisticsAsync(new GetCallStatisticsRequest()).ResponseAsync);

        var span = await _spans.WaitForAsync(s => Tag(s, "rpc.method") == "credentials.v1.DiagnosticsService/GetCallStatistics");

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("UNAUTHENTICATED", Tag(span, "rpc.response.status_code"));
    }

    [Fact]
    public async Task IssueCertificate_Spans_ShowSigningAndTheGroupCommit()
    {
        await _server.SeedDalianCommitteesAsync();

        await _server.IssueAsync(1);

        var request = await _spans.WaitForAsync(s => Tag(s, "rpc.method") == "credentials.v1.CertificateService/IssueCertificate");
        var spans = _spans.Snapshot();
        var signing = Assert.Single(spans, s => s.OperationName == "credentials.sign");
        var write = Assert.Single(spans, s => s.OperationName == "credentials.store.write" && s.TraceId == request.TraceId);
        var commit = Assert.Single(spans, s => s.OperationName == "credentials.store.commit" && s.Links.Any(l => l.Context.SpanId == write.SpanId));
        Assert.Equal("OK", Tag(request, "rpc.response.status_code"));
        Assert.Equal(request.SpanId, signing.ParentSpanId);
        Assert.Equal(1, signing.GetTagItem("credentials.certificates.count"));
        Assert.Equal(request.SpanId, write.ParentSpanId);
        Assert.NotEqual(request.TraceId, commit.TraceId);
        Assert.True((int)commit.GetTagItem("credentials.store.group.size")! >= 1);
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();
}
