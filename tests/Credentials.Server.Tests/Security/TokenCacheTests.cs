using Credentials.Core.Principals;
using Credentials.Server.Admin;
using Credentials.Server.Security;
using Credentials.Store.Audit;
using Credentials.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Security;

/// <summary>
/// Token lookups are cached for <see cref="TokenCache.Lifetime"/> on the server's clock: a revocation
/// made elsewhere (an admin command, another process's container) takes effect within it, one made
/// through the server's own PrincipalAdmin at once.
/// </summary>
public sealed class TokenCacheTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<ListCommitteesResponse> ListAsync(string token) => _server.Committees(token).ListCommitteesAsync(new ListCommitteesRequest()).ResponseAsync;

    private Task<int> RevokeByCommandAsync(string name) =>
        AdminCommands.RunAsync(["principals", "revoke", name, "--data-dir", _server.DataDir], TextWriter.Null, TextWriter.Null);

    [Fact]
    public async Task RevokedByAdminCommand_IsRefusedOnceTheCacheLifetimeHasPassed()
    {
        var token = await _server.AddPrincipalAsync("hr-office", Role.Employer);
        await ListAsync(token);

        var exit = await RevokeByCommandAsync("hr-office");
        var cached = await ListAsync(token);
        _server.Time.Advance(TokenCache.Lifetime);
        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(token));

        Assert.Equal(0, exit);
        Assert.NotNull(cached);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("The bearer token is unknown or revoked.", error.Status.Detail);
    }

    [Fact]
    public async Task RevokedThroughTheServersPrincipalAdmin_IsRefusedWithoutWaiting()
    {
        var token = await _server.AddPrincipalAsync("hr-office", Role.Employer);
        await ListAsync(token);

        await _server.Services.GetRequiredService<PrincipalAdmin>().RevokeAsync("hr-office", AuditEntry.Local("test", "test"));
        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(token));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Find_WithinTheLifetime_AnswersFromTheCacheAndRereadsAfterIt()
    {
        var token = await _server.AddPrincipalAsync("hr-office", Role.Employer);
        var cache = _server.Services.GetRequiredService<TokenCache>();
        var hash = AccessToken.Hash(token);
        var first = cache.Find(hash);
        await RevokeByCommandAsync("hr-office");

        _server.Time.Advance(TokenCache.Lifetime - TimeSpan.FromMilliseconds(1));
        var withinLifetime = cache.Find(hash);
        _server.Time.Advance(TimeSpan.FromMilliseconds(1));
        var afterLifetime = cache.Find(hash);

        Assert.False(first!.IsRevoked);
        Assert.False(withinLifetime!.IsRevoked);
        Assert.True(afterLifetime!.IsRevoked);
    }

    [Fact]
    public void Find_UnknownToken_IsNullAndNotKept()
    {
        var cache = _server.Services.GetRequiredService<TokenCache>();

        Assert.Null(cache.Find(AccessToken.Hash(AccessToken.Generate())));
    }
}
