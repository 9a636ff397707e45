using Credentials.Grpc.Client;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Grpc.Testing;

namespace Credentials.Grpc.Tests.Client;

/// <summary>The client against the real server and against broken or non-gRPC answers.</summary>
public sealed class GrpcChannelTests : IClassFixture<MisbehavingEndpoints.Fixture>
{
    private static readonly string Unary = ProbeService.PathOf("Unary");

    private readonly GrpcTestServer _server;

    public GrpcChannelTests(MisbehavingEndpoints.Fixture fixture)
    {
        _server = fixture.Server;
        _server.Probe.Reset();
    }

    [Fact]
    public async Task UnaryCall_DeadlinePasses_DeadlineExceededAndTheServerSeesTheReset()
    {
        var (started, cancelled) = _server.Probe.HangUnaryUntilCancelled();
        var clock = new ManualTimeProvider();
        using var channel = ChannelWith(new GrpcChannelOptions { TimeProvider = clock });

        using var call = channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue(),
            new CallOptions(Deadline: clock.GetUtcNow().UtcDateTime.AddSeconds(2)));
        await started.Task;
        clock.Advance(TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(StatusCode.DeadlineExceeded, call.GetStatus().StatusCode);
        // The client resets the stream at its deadline; the server's own clock never moved.
        await cancelled.Task;
    }

    [Fact]
    public async Task UnaryCall_ShortRealDeadline_DeadlineExceeded()
    {
        var (_, cancelled) = _server.Probe.HangUnaryUntilCancelled();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue(), CallOptions.WithTimeout(TimeSpan.FromMilliseconds(200))).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await cancelled.Task;
    }

    [Fact]
    public async Task UnaryCall_DeadlineAlreadyPassed_DeadlineExceeded()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue(), new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(-1))).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task UnaryCall_DeadlineMonthsAway_ServedNormally()
    {
        var response = await _server.Channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue { Value = "later" },
            new CallOptions(Deadline: DateTime.UtcNow.AddDays(120)));

        Assert.Equal("later", response.Value);
    }

    [Fact]
    public async Task ServerStreamingCall_DeadlineWhileReading_MoveNextThrowsDeadlineExceeded()
    {
        var cancelled = Signal.Create();
        _server.Probe.OnServerStreaming = async (request, responses, context) =>
        {
            await responses.WriteAsync(request);
            await Signal.WaitForCancellationAsync(context.CancellationToken, cancelled);
        };
        var clock = new ManualTimeProvider();
        using var channel = ChannelWith(new GrpcChannelOptions { TimeProvider = clock });

        using var call = channel.ServerStreamingCall<StringValue, StringValue>(ProbeService.PathOf("ServerStreaming"), new StringValue { Value = "a" },
            new CallOptions(Deadline: clock.GetUtcNow().UtcDateTime.AddMilliseconds(200)));
        Assert.True(await call.ResponseStream.MoveNext());
        var pending = call.ResponseStream.MoveNext();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        var error = await Assert.ThrowsAsync<RpcException>(() => pending);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await cancelled.Task;
    }

    [Fact]
    public async Task UnaryCall_FinishedWithoutDispose_ReleasesItsDeadlineTimer()
    {
        var clock = new ManualTimeProvider();
        using var channel = ChannelWith(new GrpcChannelOptions { TimeProvider = clock });

        await channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue(), new CallOptions(Deadline: clock.GetUtcNow().UtcDateTime.AddHours(1)));
        var failed = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall<StringValue, StringValue>(
            "/no.Such/Method", new StringValue(), new CallOptions(Deadline: clock.GetUtcNow().UtcDateTime.AddHours(1))).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, failed.StatusCode);
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(431, StatusCode.Internal)]
    [InlineData(500, StatusCode.Unknown)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    [InlineData(418, StatusCode.Unknown)]
    public async Task UnaryCall_NonGrpcHttpError_MappedStatus(int httpStatus, StatusCode expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Channel.UnaryCall<StringValue, StringValue>($"/http/{httpStatus}", new StringValue()).ResponseAsync);

        Assert.Equal(expected, error.StatusCode);
        Assert.Contains(httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnaryCall_HttpErrorWithGrpcStatus_GrpcStatusWins()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Channel.UnaryCall<StringValue, StringValue>("/http/503/grpc-status/8", new StringValue()).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("from the proxy", error.Status.Detail);
    }

    [Theory]
    [InlineData(MisbehavingEndpoints.OkWithoutMessage, StatusCode.Internal)]
    [InlineData(MisbehavingEndpoints.TwoMessages, StatusCode.Internal)]
    [InlineData(MisbehavingEndpoints.NoStatus, StatusCode.Unknown)]
    [InlineData(MisbehavingEndpoints.Html, StatusCode.Internal)]
    public async Task UnaryCall_BrokenGrpcResponse_SynthesizedErrorStatus(string path, StatusCode expected)
    {
        using var call = _server.Channel.UnaryCall<StringValue, StringValue>(path, new StringValue());

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(expected, error.StatusCode);
        Assert.Equal(expected, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task UnaryCall_ResponseOverTheClientLimit_ResourceExhausted()
    {
        using var channel = ChannelWith(new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });

        var accepted = await channel.UnaryCall<SimpleRequest, SimpleResponse>(TestServicePaths.UnaryCall, new SimpleRequest { ResponseSize = 1000 });
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryCall<SimpleRequest, SimpleResponse>(TestServicePaths.UnaryCall, new SimpleRequest { ResponseSize = 2048 }).ResponseAsync);

        Assert.Equal(1000, accepted.Payload.Body.Length);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task ServerStreamingCall_OverSizeMessage_ResourceExhaustedAndTheStreamIsResetWithoutDispose()
    {
        var cancelled = Signal.Create();
        _server.Probe.OnServerStreaming = async (request, responses, context) =>
        {
            await responses.WriteAsync(request);
            await responses.WriteAsync(new StringValue { Value = new string('b', 4096) });
            await Signal.WaitForCancellationAsync(context.CancellationToken, cancelled);
        };
        using var channel = ChannelWith(new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });

        var call = channel.ServerStreamingCall<StringValue, StringValue>(ProbeService.PathOf("ServerStreaming"), new StringValue { Value = "small" });
        Assert.True(await call.ResponseStream.MoveNext());
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        await cancelled.Task;
    }

    [Fact]
    public void UnaryCall_RequestOverTheClientSendLimit_ResourceExhaustedWithoutSending()
    {
        using var channel = ChannelWith(new GrpcChannelOptions { MaxSendMessageSize = 10 });

        var error = Assert.Throws<RpcException>(() => channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue { Value = new string('c', 20) }));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task UnaryAsync_ByDescriptor_CallsThatMethod()
    {
        var method = ProbeReflection.Descriptor.Services[0].FindMethodByName("Unary");

        var response = await _server.Channel.UnaryAsync<StringValue, StringValue>(method, new StringValue { Value = "by descriptor" });

        Assert.Equal("by descriptor", response.Value);
    }

    [Fact]
    public async Task ClientStreamingCall_WriteAfterCompletion_Throws()
    {
        using var call = _server.Channel.ClientStreamingCall<StreamingInputCallRequest, StreamingInputCallResponse>(TestServicePaths.StreamingInputCall);
        await call.RequestStream.CompleteAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync(new StreamingInputCallRequest()));
        Assert.Equal(0, (await call).AggregatedPayloadSize);
    }

    [Fact]
    public async Task ResponseHeadersAsync_TrailersOnlyError_HeadersArriveWithTheStatus()
    {
        _server.Probe.OnUnary = (_, context) =>
        {
            context.ResponseHeaders.Add("x-early", "yes");
            throw new RpcException(StatusCode.NotFound, "gone");
        };

        using var call = _server.Channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue());
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("yes", (await call.ResponseHeadersAsync).GetValue("x-early"));
        Assert.Equal("yes", call.GetTrailers().GetValue("x-early"));
    }

    [Fact]
    public async Task UnaryCall_NothingListening_Unavailable()
    {
        await using var stopped = await GrpcTestServer.StartAsync();
        await stopped.StopAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            stopped.Channel.UnaryCall<StringValue, StringValue>(Unary, new StringValue()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    private GrpcChannel ChannelWith(GrpcChannelOptions options) => GrpcChannel.ForAddress(_server.Address, options);
}
