using Credentials.Grpc.Client;
using Credentials.Grpc.Protocol;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf;
using Grpc.Testing;

namespace Credentials.Grpc.Tests.Server;

/// <summary>grpc-encoding: gzip and deflate both ways; anything else UNIMPLEMENTED.</summary>
public sealed class GrpcServerCompressionTests(GrpcServerFixture fixture) : IClassFixture<GrpcServerFixture>
{
    private readonly GrpcTestServer _server = fixture.Server;

    [Theory]
    [InlineData(MessageCompression.Gzip)]
    [InlineData(MessageCompression.Deflate)]
    public async Task UnaryCall_CompressedRequest_ServerSeesItCompressed(string encoding)
    {
        using var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { SendCompression = encoding });
        var request = new SimpleRequest { ExpectCompressed = new BoolValue { Value = true }, ResponseSize = 314_159, Payload = Zeros(271_828) };

        var response = await channel.UnaryCall<SimpleRequest, SimpleResponse>(TestServicePaths.UnaryCall, request);

        Assert.Equal(314_159, response.Payload.Body.Length);
    }

    [Theory]
    [InlineData(MessageCompression.Gzip)]
    [InlineData(MessageCompression.Deflate)]
    public async Task StreamingInputCall_CompressedRequests_AllDecompressed(string encoding)
    {
        using var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { SendCompression = encoding });
        using var call = channel.ClientStreamingCall<StreamingInputCallRequest, StreamingInputCallResponse>(TestServicePaths.StreamingInputCall);

        foreach (var size in new[] { 27_182, 45_904 })
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { ExpectCompressed = new BoolValue { Value = true }, Payload = Zeros(size) });
        }
        await call.RequestStream.CompleteAsync();

        Assert.Equal(73_086, (await call).AggregatedPayloadSize);
    }

    [Fact]
    public async Task UnaryCall_ResponseCompressionRequested_GzipOnTheWireAndDecompressedByTheClient()
    {
        var request = new SimpleRequest { ResponseCompressed = new BoolValue { Value = true }, ResponseSize = 5_000 };

        var raw = await _server.Raw.SendAsync(TestServicePaths.UnaryCall, GrpcFrame.Of(request),
            headers: [(GrpcProtocol.AcceptEncodingHeader, "identity,gzip")]);
        var viaClient = await _server.Channel.UnaryCall<SimpleRequest, SimpleResponse>(TestServicePaths.UnaryCall, request);

        Assert.Equal(MessageCompression.Gzip, raw.Header(GrpcProtocol.EncodingHeader));
        var (compressed, payload) = Assert.Single(raw.Frames());
        Assert.True(compressed);
        Assert.True(payload.Length < 5_000);
        Assert.Equal(5_000, viaClient.Payload.Body.Length);
    }

    [Fact]
    public async Task UnaryCall_ClientDoesNotAcceptGzip_ResponseSentUncompressed()
    {
        var request = new SimpleRequest { ResponseCompressed = new BoolValue { Value = true }, ResponseSize = 100 };

        var raw = await _server.Raw.SendAsync(TestServicePaths.UnaryCall, GrpcFrame.Of(request));

        Assert.Null(raw.Header(GrpcProtocol.EncodingHeader));
        Assert.False(Assert.Single(raw.Frames()).Compressed);
    }

    [Theory]
    [InlineData("snappy")]
    [InlineData("br")]
    [InlineData("gzip,deflate")]
    public async Task HandleAsync_UnsupportedEncoding_UnimplementedWithAcceptEncoding(string encoding)
    {
        var response = await _server.Raw.SendAsync(TestServicePaths.UnaryCall, GrpcFrame.Of(new SimpleRequest()),
            headers: [(GrpcProtocol.EncodingHeader, encoding)]);

        Assert.Equal(StatusCode.Unimplemented, response.GrpcStatus);
        var accepted = response.Header(GrpcProtocol.AcceptEncodingHeader);
        Assert.NotNull(accepted);
        Assert.Contains(MessageCompression.Gzip, accepted.Split(','));
        Assert.Contains(MessageCompression.Deflate, accepted.Split(','));
    }

    [Fact]
    public async Task HandleAsync_IdentityEncoding_Served()
    {
        var response = await _server.Raw.SendAsync(TestServicePaths.UnaryCall, GrpcFrame.Of(new SimpleRequest()),
            headers: [(GrpcProtocol.EncodingHeader, MessageCompression.Identity)]);

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
    }

    [Fact]
    public async Task HandleAsync_EmptyResponseMessageWithGzipChosen_SentUncompressed()
    {
        _server.Probe.OnUnary = (_, context) =>
        {
            context.ResponseEncoding = MessageCompression.Gzip;
            return Task.FromResult(new Google.Protobuf.WellKnownTypes.StringValue());
        };

        try
        {
            var raw = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), GrpcFrame.Of(new Google.Protobuf.WellKnownTypes.StringValue()),
                headers: [(GrpcProtocol.AcceptEncodingHeader, "gzip")]);

            Assert.Equal(MessageCompression.Gzip, raw.Header(GrpcProtocol.EncodingHeader));
            Assert.Equal((false, Array.Empty<byte>()), Assert.Single(raw.Frames()));
        }
        finally
        {
            _server.Probe.Reset();
        }
    }

    [Fact]
    public async Task EmptyCall_GzipChannel_EmptyMessageServed()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { SendCompression = MessageCompression.Gzip });

        var response = await channel.UnaryCall<Empty, Empty>(TestServicePaths.EmptyCall, new Empty());

        Assert.NotNull(response);
    }

    private static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };
}
