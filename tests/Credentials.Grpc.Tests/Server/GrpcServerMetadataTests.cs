using Credentials.Grpc.Client;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Grpc.Testing;

namespace Credentials.Grpc.Tests.Server;

/// <summary>Custom metadata, text and -bin, both ways: request headers, response headers, trailers.</summary>
public sealed class GrpcServerMetadataTests : IClassFixture<GrpcServerFixture>
{
    private static readonly byte[] OddBytes = [0, 1, 2, 250, 251];

    private readonly GrpcTestServer _server;

    public GrpcServerMetadataTests(GrpcServerFixture fixture)
    {
        _server = fixture.Server;
        _server.Probe.Reset();
    }

    /// <summary>Echoes every x- entry of the request into the response headers and, renamed, the trailers.</summary>
    private TaskCompletionSource<Metadata> EchoMetadata()
    {
        var seen = new TaskCompletionSource<Metadata>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Probe.OnUnary = (request, context) =>
        {
            foreach (var entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-", StringComparison.Ordinal)))
            {
                context.ResponseHeaders.Add(entry);
                var trailerKey = "t" + entry.Key;
                context.ResponseTrailers.Add(entry.IsBinary ? new Metadata.Entry(trailerKey, entry.ValueBytes) : new Metadata.Entry(trailerKey, entry.Value));
            }
            seen.SetResult(context.RequestHeaders);
            return Task.FromResult(request);
        };
        return seen;
    }

    [Fact]
    public async Task UnaryCall_TextAndBinaryMetadata_ReachTheHandlerAndComeBack()
    {
        var seen = EchoMetadata();
        var headers = new Metadata().Add("x-text", "certificate 42").Add("x-data-bin", OddBytes);

        using var call = _server.Channel.UnaryCall<StringValue, StringValue>(ProbeService.PathOf("Unary"), new StringValue(), new CallOptions(headers));
        await call;

        var received = await seen.Task;
        Assert.Equal("certificate 42", received.GetValue("x-text"));
        Assert.Equal(OddBytes, received.GetValueBytes("x-data-bin"));
        var responseHeaders = await call.ResponseHeadersAsync;
        Assert.Equal("certificate 42", responseHeaders.GetValue("x-text"));
        Assert.Equal(OddBytes, responseHeaders.GetValueBytes("x-data-bin"));
        Assert.Equal("certificate 42", call.GetTrailers().GetValue("tx-text"));
        Assert.Equal(OddBytes, call.GetTrailers().GetValueBytes("tx-data-bin"));
    }

    [Fact]
    public async Task UnaryCall_ClientBinaryMetadata_IsSentUnpadded()
    {
        var raw = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Probe.OnUnary = (request, context) =>
        {
            raw.SetResult(context.GetHttpContext().Request.Headers["x-data-bin"].ToString());
            return Task.FromResult(request);
        };

        await _server.Channel.UnaryCall<StringValue, StringValue>(ProbeService.PathOf("Unary"), new StringValue(),
            new CallOptions(new Metadata().Add("x-data-bin", OddBytes)));

        Assert.Equal("AAEC+vs", await raw.Task);
    }

    [Fact]
    public async Task HandleAsync_BinaryMetadataPaddedAndUnpadded_BothDecoded()
    {
        var seen = EchoMetadata();

        var response = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), GrpcFrame.Of(new StringValue()), headers:
            [("x-padded-bin", "AAEC+vs="), ("x-unpadded-bin", "AAEC+vs")]);

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        var received = await seen.Task;
        Assert.Equal(OddBytes, received.GetValueBytes("x-padded-bin"));
        Assert.Equal(OddBytes, received.GetValueBytes("x-unpadded-bin"));
        // Sent back unpadded, in the headers and in the trailers.
        Assert.Equal("AAEC+vs", response.Header("x-padded-bin"));
        Assert.Equal("AAEC+vs", response.Trailer("tx-padded-bin"));
    }

    [Fact]
    public async Task HandleAsync_BinaryValuesJoinedWithComma_EachDecoded()
    {
        var seen = EchoMetadata();

        var response = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), GrpcFrame.Of(new StringValue()), headers:
            [("x-pair-bin", "AAEC+vs=,AQI")]);

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        var values = (await seen.Task).GetAll("x-pair-bin").Select(e => e.ValueBytes).ToList();
        Assert.Equal([OddBytes, [1, 2]], values);
    }

    [Fact]
    public async Task HandleAsync_TextValueOutsideGrpcRange_DroppedWithoutFailingTheCall()
    {
        var seen = EchoMetadata();

        var response = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), GrpcFrame.Of(new StringValue()), headers:
            [("x-tabbed", "a\tb"), ("x-fine", "ok")]);

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        var received = await seen.Task;
        Assert.Null(received.Get("x-tabbed"));
        Assert.Equal("ok", received.GetValue("x-fine"));
    }

    [Fact]
    public async Task HandleAsync_MalformedBinaryValue_InvalidArgumentNamingTheHeader()
    {
        EchoMetadata();

        var response = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), GrpcFrame.Of(new StringValue()), headers:
            [("x-broken-bin", "A")]);

        Assert.Equal(StatusCode.InvalidArgument, response.GrpcStatus);
        Assert.Contains("x-broken-bin", response.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnaryCall_InteropEchoKeys_EchoedAsHeaderAndTrailer()
    {
        var headers = new Metadata()
            .Add("x-grpc-test-echo-initial", "test_initial_metadata_value")
            .Add("x-grpc-test-echo-trailing-bin", [0xab, 0xab, 0xab]);

        using var call = _server.Channel.UnaryCall<SimpleRequest, SimpleResponse>(TestServicePaths.UnaryCall, new SimpleRequest(), new CallOptions(headers));
        await call;

        Assert.Equal("test_initial_metadata_value", (await call.ResponseHeadersAsync).GetValue("x-grpc-test-echo-initial"));
        Assert.Equal([0xab, 0xab, 0xab], call.GetTrailers().GetValueBytes("x-grpc-test-echo-trailing-bin"));
    }

    [Fact]
    public async Task WriteResponseHeadersAsync_BeforeAnyMessage_ClientHasThemWhileTheHandlerWaits()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Probe.OnServerStreaming = async (request, responses, context) =>
        {
            await context.WriteResponseHeadersAsync(new Metadata().Add("x-early", "now").Add("x-early-bin", OddBytes));
            await release.Task;
            await responses.WriteAsync(request);
        };

        using var call = _server.Channel.ServerStreamingCall<StringValue, StringValue>(ProbeService.PathOf("ServerStreaming"), new StringValue { Value = "later" });
        var headers = await call.ResponseHeadersAsync;
        release.SetResult();

        Assert.Equal("now", headers.GetValue("x-early"));
        Assert.Equal(OddBytes, headers.GetValueBytes("x-early-bin"));
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal("later", call.ResponseStream.Current.Value);
    }

    [Fact]
    public async Task UnaryCall_ErrorWithTrailers_TrailersOnlyCarriesMetadata()
    {
        _server.Probe.OnUnary = (_, context) =>
        {
            context.ResponseTrailers.Add("x-reason-bin", OddBytes);
            throw new RpcException(StatusCode.PermissionDenied, "no");
        };

        var response = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), GrpcFrame.Of(new StringValue()));

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("AAEC+vs", response.Header("x-reason-bin"));
    }
}
