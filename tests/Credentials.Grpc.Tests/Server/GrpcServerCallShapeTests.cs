using Credentials.Grpc.Tests.Support;
using Google.Protobuf;
using Grpc.Testing;

namespace Credentials.Grpc.Tests.Server;

/// <summary>The four call shapes, and messages that arrive in pieces, over real HTTP/2.</summary>
public sealed class GrpcServerCallShapeTests(GrpcServerFixture fixture) : IClassFixture<GrpcServerFixture>
{
    private readonly GrpcTestServer _server = fixture.Server;

    [Fact]
    public async Task UnaryCall_LargeResponse_ReturnsPayloadOfRequestedSize()
    {
        var request = new SimpleRequest { ResponseSize = 314_159, Payload = Zeros(271_828) };

        var response = await _server.Channel.UnaryCall<SimpleRequest, SimpleResponse>(TestServicePaths.UnaryCall, request);

        Assert.Equal(314_159, response.Payload.Body.Length);
    }

    [Fact]
    public async Task ServerStreamingCall_SeveralSizes_ReturnsEachResponseInOrder()
    {
        int[] sizes = [31_415, 9, 2_653, 58_979];
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.AddRange(sizes.Select(size => new ResponseParameters { Size = size }));

        using var call = _server.Channel.ServerStreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse>(TestServicePaths.StreamingOutputCall, request);
        var received = new List<int>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            received.Add(response.Payload.Body.Length);
        }

        Assert.Equal(sizes, received);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ClientStreamingCall_SeveralRequests_AggregatesTheirSizes()
    {
        using var call = _server.Channel.ClientStreamingCall<StreamingInputCallRequest, StreamingInputCallResponse>(TestServicePaths.StreamingInputCall);
        foreach (var size in new[] { 27_182, 8, 1_828, 45_904 })
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(size) });
        }
        await call.RequestStream.CompleteAsync();

        var response = await call;

        Assert.Equal(74_922, response.AggregatedPayloadSize);
    }

    [Fact]
    public async Task ClientStreamingCall_NoRequests_AnswersOnce()
    {
        using var call = _server.Channel.ClientStreamingCall<StreamingInputCallRequest, StreamingInputCallResponse>(TestServicePaths.StreamingInputCall);
        await call.RequestStream.CompleteAsync();

        var response = await call;

        Assert.Equal(0, response.AggregatedPayloadSize);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task DuplexStreamingCall_PingPong_AnswersEachRequestBeforeTheNext()
    {
        using var call = _server.Channel.DuplexStreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse>(TestServicePaths.FullDuplexCall);
        foreach (var size in new[] { 31_415, 9, 2_653, 58_979 })
        {
            var request = new StreamingOutputCallRequest { Payload = Zeros(size / 2) };
            request.ResponseParameters.Add(new ResponseParameters { Size = size });
            await call.RequestStream.WriteAsync(request);

            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal(size, call.ResponseStream.Current.Payload.Body.Length);
        }
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task UnaryCall_MessageWrittenInSmallFlushedPieces_IsReassembled()
    {
        var body = GrpcFrame.Of(new SimpleRequest { ResponseSize = 42, Payload = Zeros(3_000) });
        var content = new WriterContent(async stream =>
        {
            // Pieces of 1 to 7 bytes, each flushed: the prefix itself is split across DATA frames.
            for (int offset = 0, piece = 1; offset < body.Length; offset += piece, piece = piece % 7 + 1)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(piece, body.Length - offset)));
                await stream.FlushAsync();
            }
        });

        var response = await _server.Raw.SendAsync(TestServicePaths.UnaryCall, content);

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal(42, Assert.Single(response.Messages(SimpleResponse.Parser)).Payload.Body.Length);
    }

    [Fact]
    public async Task ClientStreamingCall_MessageBoundaryInsideAWrite_ReadsEveryMessage()
    {
        byte[] body = [.. GrpcFrame.Of(new StreamingInputCallRequest { Payload = Zeros(1_000) }),
            .. GrpcFrame.Of(new StreamingInputCallRequest { Payload = Zeros(24) }),
            .. GrpcFrame.Of(new StreamingInputCallRequest { Payload = Zeros(500) })];
        var content = new WriterContent(async stream =>
        {
            foreach (var piece in body.Chunk(333))
            {
                await stream.WriteAsync(piece);
                await stream.FlushAsync();
            }
        });

        var response = await _server.Raw.SendAsync(TestServicePaths.StreamingInputCall, content);

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal(1_524, Assert.Single(response.Messages(StreamingInputCallResponse.Parser)).AggregatedPayloadSize);
    }

    private static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };
}
