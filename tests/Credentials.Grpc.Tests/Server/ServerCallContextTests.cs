using Credentials.Grpc.Client;
using Credentials.Grpc.Protocol;
using Credentials.Grpc.Server;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Grpc.Tests.Server;

/// <summary>
/// Deadlines and cancellation of a call on the server. The server's clock is manual: a deadline
/// passes when the test advances it, so nothing here waits on real time.
/// </summary>
public sealed class ServerCallContextTests : IClassFixture<GrpcServerFixture>
{
    private static readonly string Unary = ProbeService.PathOf("Unary");
    private static readonly byte[] UnaryBody = GrpcFrame.Of(new StringValue { Value = "x" });

    private readonly GrpcTestServer _server;

    public ServerCallContextTests(GrpcServerFixture fixture)
    {
        _server = fixture.Server;
        _server.Probe.Reset();
    }

    [Theory]
    [MemberData(nameof(TimeoutCases.EveryUnit), MemberType = typeof(TimeoutCases))]
    public async Task Deadline_GrpcTimeoutInEveryUnit_IsNowPlusTheTimeout(string header, TimeSpan timeout)
    {
        var deadline = RecordDeadline();

        var response = await _server.Raw.SendAsync(Unary, UnaryBody, headers: [(GrpcProtocol.TimeoutHeader, header)]);

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal(_server.Time.GetUtcNow().UtcDateTime + timeout, await deadline);
    }

    [Fact]
    public async Task Deadline_NoGrpcTimeout_None()
    {
        var deadline = RecordDeadline();

        await _server.Raw.SendAsync(Unary, UnaryBody);

        Assert.Equal(DateTime.MaxValue, await deadline);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("1x")]
    [InlineData("123456789S")]
    [InlineData("-1S")]
    public async Task HandleAsync_MalformedGrpcTimeout_InternalNamingTheHeader(string header)
    {
        var response = await _server.Raw.SendAsync(Unary, UnaryBody, headers: [(GrpcProtocol.TimeoutHeader, header)]);

        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.Contains(GrpcProtocol.TimeoutHeader, response.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellationToken_AtTheDeadline_FiresAndTheCallEndsDeadlineExceeded()
    {
        var (started, cancelled) = _server.Probe.HangUnaryUntilCancelled();

        var call = _server.Raw.SendAsync(Unary, UnaryBody, headers: [(GrpcProtocol.TimeoutHeader, "5S")]);
        await started.Task;
        _server.Time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        var cancelledEarly = cancelled.Task.IsCompleted;
        _server.Time.Advance(TimeSpan.FromTicks(1));
        var response = await call;

        Assert.False(cancelledEarly);
        await cancelled.Task;
        Assert.Equal(StatusCode.DeadlineExceeded, response.GrpcStatus);
        Assert.True(response.IsTrailersOnly, response.ToString());
    }

    [Fact]
    public async Task Deadline_HandlerIgnoresTheToken_ClientAnsweredBeforeTheHandlerReturns()
    {
        var started = Signal.Create();
        var release = Signal.Create();
        var finished = Signal.Create();
        _server.Probe.OnUnary = async (request, _) =>
        {
            started.SetResult();
            await release.Task;
            finished.SetResult();
            return request;
        };

        var call = _server.Raw.SendAsync(Unary, UnaryBody, headers: [(GrpcProtocol.TimeoutHeader, "1S")]);
        await started.Task;
        _server.Time.Advance(TimeSpan.FromSeconds(1));
        var response = await call;
        var handlerWasRunning = !finished.Task.IsCompleted;
        release.SetResult();
        await finished.Task;
        var next = await _server.Raw.SendAsync(TestServicePaths.EmptyCall, GrpcFrame.Of(new global::Grpc.Testing.Empty()));

        Assert.True(handlerWasRunning);
        Assert.Equal(StatusCode.DeadlineExceeded, response.GrpcStatus);
        Assert.Equal(StatusCode.OK, next.GrpcStatus);
    }

    [Fact]
    public async Task Deadline_AfterMessagesWereSent_DeadlineExceededInTrailers()
    {
        var started = Signal.Create();
        _server.Probe.OnServerStreaming = async (request, responses, context) =>
        {
            await responses.WriteAsync(request);
            started.SetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        };

        var call = _server.Raw.SendAsync(ProbeService.PathOf("ServerStreaming"), UnaryBody, headers: [(GrpcProtocol.TimeoutHeader, "200m")]);
        await started.Task;
        _server.Time.Advance(TimeSpan.FromMilliseconds(200));
        var response = await call;

        Assert.Equal("x", Assert.Single(response.Messages(StringValue.Parser)).Value);
        Assert.Equal(((int)StatusCode.DeadlineExceeded).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Trailer(GrpcProtocol.StatusHeader));
    }

    [Fact]
    public async Task Deadline_FromOurClient_ServerEndsTheCallDeadlineExceeded()
    {
        var (started, cancelled) = _server.Probe.HangUnaryUntilCancelled();

        using var call = _server.Channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue(), CallOptions.WithTimeout(TimeSpan.FromHours(1)));
        await started.Task;
        _server.Time.Advance(TimeSpan.FromHours(1));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await cancelled.Task;
    }

    [Fact]
    public async Task CancellationToken_ClientDisposesUnaryCall_Fires()
    {
        var (started, cancelled) = _server.Probe.HangUnaryUntilCancelled();

        var call = _server.Channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue());
        await started.Task;
        call.Dispose();

        await cancelled.Task;
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task CancellationToken_ClientCancelsThroughCallOptions_Fires()
    {
        var (started, cancelled) = _server.Probe.HangUnaryUntilCancelled();
        using var cancellation = new CancellationTokenSource();

        using var call = _server.Channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue(), new CallOptions(CancellationToken: cancellation.Token));
        await started.Task;
        await cancellation.CancelAsync();

        await cancelled.Task;
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task CancellationToken_ClientDisposesStreamAfterFirstMessage_Fires()
    {
        var cancelled = Signal.Create();
        _server.Probe.OnServerStreaming = async (request, responses, context) =>
        {
            await responses.WriteAsync(request);
            await Signal.WaitForCancellationAsync(context.CancellationToken, cancelled);
        };

        var call = _server.Channel.ServerStreamingCall<StringValue, StringValue>(ProbeService.PathOf("ServerStreaming"), new StringValue { Value = "first" });
        Assert.True(await call.ResponseStream.MoveNext());
        call.Dispose();

        await cancelled.Task;
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Theory]
    [InlineData("/grpc.testing.TestService/StreamingInputCall")]
    [InlineData("/grpc.testing.TestService/FullDuplexCall")]
    public async Task ClientResetsStream_CallIsCountedCancelledNotUnknown(string path)
    {
        var method = _server.Services.GetRequiredService<GrpcServer>().Methods.Single(m => m.Path == path);
        var before = method.GetStatusCounts().Sum(c => c.Count);
        if (path.EndsWith("FullDuplexCall", StringComparison.Ordinal))
        {
            // The server is writing a long stream when the client goes away.
            var request = new global::Grpc.Testing.StreamingOutputCallRequest();
            request.ResponseParameters.Add(Enumerable.Range(0, 200).Select(_ => new global::Grpc.Testing.ResponseParameters { Size = 64 * 1024 }));
            var duplex = _server.Channel.DuplexStreamingCall<global::Grpc.Testing.StreamingOutputCallRequest, global::Grpc.Testing.StreamingOutputCallResponse>(path);
            await duplex.RequestStream.WriteAsync(request);
            Assert.True(await duplex.ResponseStream.MoveNext());
            duplex.Dispose();
        }
        else
        {
            // The server is reading the request stream when the client goes away.
            var call = _server.Channel.ClientStreamingCall<global::Grpc.Testing.StreamingInputCallRequest, global::Grpc.Testing.StreamingInputCallResponse>(path);
            await call.RequestStream.WriteAsync(new global::Grpc.Testing.StreamingInputCallRequest());
            call.Dispose();
        }

        // The server ends the call when it sees the reset; wait (bounded) for its count.
        for (var i = 0; i < 500 && method.GetStatusCounts().Sum(c => c.Count) == before; i++)
        {
            await Task.Delay(10);
        }
        var counts = method.GetStatusCounts().ToDictionary(c => c.Status, c => c.Count);
        Assert.False(counts.ContainsKey(StatusCode.Unknown), "a client reset must not count as UNKNOWN");
        Assert.True(counts.GetValueOrDefault(StatusCode.Cancelled) >= 1);
    }

    private Task<DateTime> RecordDeadline()
    {
        var deadline = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Probe.OnUnary = (request, context) =>
        {
            deadline.SetResult(context.Deadline);
            return Task.FromResult(request);
        };
        return deadline.Task;
    }
}
