using Credentials.Core.Principals;
using Credentials.Server.Hosting;
using Credentials.Store.Writing;
using Credentials.V1;
using Dapper;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Credentials.Server.Tests.Operations;

/// <summary>
/// grpc.health.v1 from Grpc.AspNetCore.HealthChecks, driven by the store's health check: a Watch
/// call (the package's generated client) hears a failed group commit, and the recovery, within one
/// second, with the server's clock standing still (so neither the store probe nor the periodic
/// publisher is what told it).
/// </summary>
public sealed class HealthWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan WithinOneSecond = TimeSpan.FromSeconds(1);

    private TestServer _server = null!;
    private string _committee = "";
    private int _person;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedDalianCommitteesAsync();
        _committee = await _server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<IssueCertificateResponse> IssueAsync() =>
        _server.Certificates(_committee).IssueCertificateAsync(Issue($"w-{++_person}", _person)).ResponseAsync;

    private Task ReadOnlyAsync(bool on) =>
        _server.Services.GetRequiredService<StoreWriter>().MaintainAsync(connection => connection.Execute($"PRAGMA query_only = {(on ? 1 : 0)}"));

    private static async Task<ServingStatus> NextAsync(IAsyncStreamReader<HealthCheckResponse> watch, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        Assert.True(await watch.MoveNext(timeout.Token));
        return watch.Current.Status;
    }

    [Theory]
    [InlineData("")]
    [InlineData("credentials.v1.CertificateService")]
    public async Task Watch_FailedWriteThenRecovery_SeesEachChangeWithinOneSecond(string service)
    {
        using var watch = _server.Health().Watch(new HealthCheckRequest { Service = service });
        var initial = await NextAsync(watch.ResponseStream, TimeSpan.FromSeconds(30));

        await ReadOnlyAsync(true);
        var refused = await Assert.ThrowsAsync<RpcException>(IssueAsync);
        var down = await NextAsync(watch.ResponseStream, WithinOneSecond);
        await ReadOnlyAsync(false);
        await IssueAsync();
        var up = await NextAsync(watch.ResponseStream, WithinOneSecond);

        Assert.Equal(ServingStatus.Serving, initial);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(ServingStatus.NotServing, down);
        Assert.Equal(ServingStatus.Serving, up);
    }

    [Fact]
    public async Task Check_EveryServiceAndTheServer_FollowTheStore()
    {
        var health = _server.Health();
        string[] names = ["", .. GrpcHosting.ServiceNames];

        await ReadOnlyAsync(true);
        await Assert.ThrowsAsync<RpcException>(IssueAsync);
        var down = await Task.WhenAll(names.Select(async n => (await health.CheckAsync(new HealthCheckRequest { Service = n })).Status));

        Assert.All(down, status => Assert.Equal(ServingStatus.NotServing, status));
    }

    [Fact]
    public async Task Check_UnknownService_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Health().CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}
