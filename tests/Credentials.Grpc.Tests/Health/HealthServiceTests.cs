using Credentials.Grpc.Client;
using Credentials.Grpc.Health;
using Credentials.Grpc.Tests.Support;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Credentials.Grpc.Tests.Health;

/// <summary>grpc.health.v1.Health over HTTP/2: Check, Watch, and the end of watches at shutdown.</summary>
public sealed class HealthServiceTests(GrpcServerFixture fixture) : IClassFixture<GrpcServerFixture>
{
    private const string Check = "/grpc.health.v1.Health/Check";
    private const string Watch = "/grpc.health.v1.Health/Watch";
    private const string TestService = "grpc.testing.TestService";

    private readonly GrpcTestServer _server = fixture.Server;

    [Theory]
    [InlineData("")]
    [InlineData(TestService)]
    [InlineData("credentials.grpc.tests.Probe")]
    [InlineData("grpc.health.v1.Health")]
    public async Task Check_ServerOrRegisteredService_Serving(string service)
    {
        var response = await CheckAsync(_server.Channel, service);

        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Theory]
    [InlineData("no.such.Service")]
    [InlineData("grpc.testing.UnimplementedService")]
    public async Task Check_UnknownService_NotFound(string service)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => CheckAsync(_server.Channel, service));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Watch_StatusChanges_SendsCurrentThenEachChange()
    {
        const string watched = "credentials.grpc.tests.Probe";
        var health = _server.Services.GetRequiredService<HealthService>();
        using var call = _server.Channel.ServerStreamingCall<HealthCheckRequest, HealthCheckResponse>(Watch, new HealthCheckRequest { Service = watched });

        try
        {
            var current = await NextAsync(call);
            health.SetStatus(watched, ServingStatus.NotServing);
            var changed = await NextAsync(call);
            health.SetStatus(watched, ServingStatus.Serving);
            var back = await NextAsync(call);

            Assert.Equal(ServingStatus.Serving, current);
            Assert.Equal(ServingStatus.NotServing, changed);
            Assert.Equal(ServingStatus.Serving, back);
            Assert.Equal(ServingStatus.Serving, (await CheckAsync(_server.Channel, watched)).Status);
        }
        finally
        {
            health.SetStatus(watched, ServingStatus.Serving);
        }
    }

    [Fact]
    public async Task Watch_UnknownService_ServiceUnknownUntilItIsSet()
    {
        const string later = "later.Service";
        var health = _server.Services.GetRequiredService<HealthService>();
        using var call = _server.Channel.ServerStreamingCall<HealthCheckRequest, HealthCheckResponse>(Watch, new HealthCheckRequest { Service = later });

        var unknown = await NextAsync(call);
        health.SetStatus(later, ServingStatus.Serving);
        var known = await NextAsync(call);

        Assert.Equal(ServingStatus.ServiceUnknown, unknown);
        Assert.Equal(ServingStatus.Serving, known);
    }

    [Fact]
    public async Task Watch_EnterGracefulShutdown_NotServingThenEndOfStream()
    {
        await using var server = await GrpcTestServer.StartAsync();
        using var call = server.Channel.ServerStreamingCall<HealthCheckRequest, HealthCheckResponse>(Watch, new HealthCheckRequest { Service = TestService });

        var before = await NextAsync(call);
        server.Services.GetRequiredService<HealthService>().EnterGracefulShutdown();
        var after = await NextAsync(call);
        var more = await call.ResponseStream.MoveNext();

        Assert.Equal(ServingStatus.Serving, before);
        Assert.Equal(ServingStatus.NotServing, after);
        Assert.False(more);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal(ServingStatus.NotServing, (await CheckAsync(server.Channel, "")).Status);
    }

    [Fact]
    public async Task SetStatus_AfterGracefulShutdown_Ignored()
    {
        await using var server = await GrpcTestServer.StartAsync();
        var health = server.Services.GetRequiredService<HealthService>();

        health.EnterGracefulShutdown();
        health.SetStatus(TestService, ServingStatus.Serving);

        Assert.Equal(ServingStatus.NotServing, (await CheckAsync(server.Channel, TestService)).Status);
    }

    private static Task<HealthCheckResponse> CheckAsync(GrpcChannel channel, string service) =>
        channel.UnaryCall<HealthCheckRequest, HealthCheckResponse>(Check, new HealthCheckRequest { Service = service }).ResponseAsync;

    private static async Task<ServingStatus> NextAsync(AsyncServerStreamingCall<HealthCheckResponse> call)
    {
        Assert.True(await call.ResponseStream.MoveNext());
        return call.ResponseStream.Current.Status;
    }
}
