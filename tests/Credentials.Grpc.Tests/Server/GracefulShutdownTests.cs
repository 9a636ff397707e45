using Credentials.Grpc.Client;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Connections.Features;

namespace Credentials.Grpc.Tests.Server;

/// <summary>Stopping the host: calls in flight finish, new calls are refused.</summary>
public sealed class GracefulShutdownTests
{
    private static readonly string Unary = ProbeService.PathOf("Unary");

    [Fact]
    public async Task StopAsync_CallInFlight_FinishesOkAndNewCallsFailUnavailable()
    {
        await using var server = await GrpcTestServer.StartAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var drainingSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Probe.OnUnary = async (request, context) =>
        {
            var lifetime = context.GetHttpContext().Features.Get<IConnectionLifetimeNotificationFeature>()
                ?? throw new InvalidOperationException("Kestrel did not expose the connection lifetime.");
            var closing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = lifetime.ConnectionClosedRequested.Register(closing.SetResult);
            started.SetResult();
            // Answer only once the server has begun closing this connection gracefully.
            await closing.Task;
            drainingSeen.SetResult();
            return new StringValue { Value = "finished during shutdown" };
        };

        using var inFlight = server.Channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue());
        await started.Task;
        var stopping = server.StopAsync();
        await drainingSeen.Task;
        using var fresh = GrpcChannel.ForAddress(server.Address);
        var duringDrain = await Assert.ThrowsAsync<RpcException>(() => fresh.UnaryCall<StringValue, StringValue>(Unary, new StringValue()).ResponseAsync);
        var response = await inFlight;
        await stopping;
        var afterStop = await Assert.ThrowsAsync<RpcException>(() => server.Channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue()).ResponseAsync);

        Assert.Equal("finished during shutdown", response.Value);
        Assert.Equal(StatusCode.OK, inFlight.GetStatus().StatusCode);
        Assert.Equal(StatusCode.Unavailable, duringDrain.StatusCode);
        Assert.Equal(StatusCode.Unavailable, afterStop.StatusCode);
    }
}
