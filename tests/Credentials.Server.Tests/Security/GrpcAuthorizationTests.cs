using Credentials.Core.Principals;
using Credentials.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Security;

/// <summary>
/// Refusals by ASP.NET Core authentication and authorization, as a standard gRPC client
/// (Grpc.Net.Client with the generated clients) sees them: a gRPC status with its message, not an
/// HTTP 401/403.
/// </summary>
public sealed class GrpcAuthorizationTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ListCommittees_WithoutToken_IsUnauthenticatedSayingWhatIsNeeded()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Committees().ListCommitteesAsync(new ListCommitteesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("This method needs a bearer token (authorization: Bearer crd_...).", error.Status.Detail);
    }

    [Fact]
    public async Task ListAuditRecords_EmployerToken_IsPermissionDeniedNamingRoleAndMethod()
    {
        var token = await _server.AddPrincipalAsync("hr-office", Role.Employer);
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Audit(token).ListAuditRecordsAsync(new ListAuditRecordsRequest()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("The employer role may not call ListAuditRecords.", error.Status.Detail);
    }

    [Fact]
    public async Task Refusal_BeforeTheService_StillEchoesTheRequestId()
    {
        using var call = _server.Committees().ListCommitteesAsync(new ListCommitteesRequest(), new Metadata { { "x-request-id", "hr-ticket-1" } });

        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        var headers = await call.ResponseHeadersAsync;

        Assert.Equal("hr-ticket-1", headers.GetValue("x-request-id"));
    }

    [Theory]
    [InlineData("not-a-token", "The bearer token is malformed.")]
    [InlineData("crd_0000000000000000000000000000000000000000000000000", "The bearer token is malformed.")]
    public async Task AnonymousMethod_WithBadToken_IsUnauthenticatedNotAnonymous(string token, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Diagnostics(token).PingAsync(new PingRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public async Task AnonymousMethod_WithRevokedToken_IsUnauthenticated()
    {
        var token = await _server.AddPrincipalAsync("hr-office", Role.Employer);
        await _server.Services.GetRequiredService<Credentials.Server.Admin.PrincipalAdmin>().RevokeAsync("hr-office", Store.Audit.AuditEntry.Local("test", "test"));
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Verification(token).ListSigningKeysAsync(new ListSigningKeysRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("The bearer token is unknown or revoked.", error.Status.Detail);
    }

    [Fact]
    public async Task UnknownMethod_OfAServedService_IsUnimplementedForAnyone()
    {
        var missing = new Method<PingRequest, PingResponse>(MethodType.Unary, DiagnosticsService.Descriptor.FullName, "NoSuchMethod",
            Marshallers.Create(r => r.ToByteArray(), PingRequest.Parser.ParseFrom), Marshallers.Create(r => r.ToByteArray(), PingResponse.Parser.ParseFrom));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Channel.CreateCallInvoker().AsyncUnaryCall(missing, null, new CallOptions(), new PingRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task GetCallStatistics_CountsRefusalsBeforeTheService()
    {
        var employer = await _server.AddPrincipalAsync("hr-office", Role.Employer);
        await Assert.ThrowsAsync<RpcException>(() => _server.Audit(employer).ListAuditRecordsAsync(new ListAuditRecordsRequest()).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => _server.Audit().ListAuditRecordsAsync(new ListAuditRecordsRequest()).ResponseAsync);
        await _server.Audit(_server.AuthorityToken).ListAuditRecordsAsync(new ListAuditRecordsRequest());

        var counts = (await _server.Diagnostics(_server.AuthorityToken).GetCallStatisticsAsync(new GetCallStatisticsRequest())).Counts
            .Where(c => c.Method == "/credentials.v1.AuditService/ListAuditRecords")
            .ToDictionary(c => c.Status, c => c.Count);

        Assert.Equal(new Dictionary<string, long> { ["OK"] = 1, ["PERMISSION_DENIED"] = 1, ["UNAUTHENTICATED"] = 1 }, counts);
    }
}
