using Credentials.Core.Principals;
using Credentials.Server.Admin;
using Credentials.V1;
using Credentials.Store.Audit;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Security;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<ListCommitteesResponse> ListAsync(string? token) =>
        _server.Committees(token).ListCommitteesAsync(new ListCommitteesRequest()).ResponseAsync;

    [Fact]
    public async Task Call_WithoutToken_IsUnauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(null));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("crd_0000000000000000000000000000000000000000000000000")]
    public async Task Call_MalformedToken_IsUnauthenticated(string token)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(token));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Call_WellFormedButUnknownToken_IsUnauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(AccessToken.Generate()));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Call_RevokedToken_IsRefusedAtOnce()
    {
        var token = await _server.AddPrincipalAsync("hr-office", Role.Employer);
        await ListAsync(token);

        await _server.Services.GetRequiredService<PrincipalAdmin>().RevokeAsync("hr-office", AuditEntry.Local("test", "test"));
        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(token));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Ping_WithoutToken_IsAllowed()
    {
        var pong = await _server.Diagnostics().PingAsync(new PingRequest());

        Assert.Equal("pong", pong.Message);
    }
}
