using Credentials.Grpc.Client;
using Credentials.Grpc.Protocol;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Grpc.Tests.Server;

/// <summary>The default 4 MiB limit on a received message: declared, actual and decompressed sizes.</summary>
public sealed class GrpcServerMessageLimitTests : IClassFixture<GrpcServerFixture>
{
    private const int Limit = GrpcProtocol.DefaultMaxReceiveMessageSize;

    private readonly GrpcTestServer _server;

    public GrpcServerMessageLimitTests(GrpcServerFixture fixture)
    {
        _server = fixture.Server;
        // Answer small, so only the request is large.
        _server.Probe.OnUnary = (request, _) => Task.FromResult(new StringValue { Value = request.Value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    [Fact]
    public async Task UnaryCall_MessageOfExactlyTheLimit_Accepted()
    {
        var response = await _server.Channel.UnaryCall<StringValue, StringValue>(ProbeService.PathOf("Unary"), MessageOfSize(Limit));

        Assert.Equal((Limit - 5).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Value);
    }

    [Fact]
    public async Task UnaryCall_MessageOneByteOverTheLimit_ResourceExhausted()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Channel.UnaryCall<StringValue, StringValue>(ProbeService.PathOf("Unary"), MessageOfSize(Limit + 1)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task HandleAsync_DeclaredLengthOverTheLimit_RefusedBeforeTheBytesArrive()
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var content = new WriterContent(async stream =>
        {
            await stream.WriteAsync(GrpcFrame.Prefix(0, Limit + 1));
            await stream.FlushAsync();
            // The message itself is never sent: the server must answer from the prefix alone.
            await answered.Task;
        });

        try
        {
            var response = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), content);

            Assert.Equal(StatusCode.ResourceExhausted, response.GrpcStatus);
            Assert.True(response.IsTrailersOnly, response.ToString());
        }
        finally
        {
            answered.SetResult();
        }
    }

    [Theory]
    [InlineData(MessageCompression.Gzip)]
    [InlineData(MessageCompression.Deflate)]
    public async Task HandleAsync_CompressedMessageInflatingOverTheLimit_ResourceExhausted(string encoding)
    {
        var bomb = MessageCompression.Compress(encoding, MessageOfSize(Limit + 1).ToByteArray());
        Assert.True(bomb.Length < 64 * 1024);

        var response = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), GrpcFrame.Of(bomb, flag: 1),
            headers: [(GrpcProtocol.EncodingHeader, encoding)]);

        Assert.Equal(StatusCode.ResourceExhausted, response.GrpcStatus);
    }

    [Fact]
    public async Task HandleAsync_CompressedMessageOfExactlyTheLimit_Accepted()
    {
        var compressed = MessageCompression.Compress(MessageCompression.Gzip, MessageOfSize(Limit).ToByteArray());

        var response = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), GrpcFrame.Of(compressed, flag: 1),
            headers: [(GrpcProtocol.EncodingHeader, MessageCompression.Gzip)]);

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
    }

    [Fact]
    public async Task UnaryCall_ConfiguredLimit_AppliesInsteadOfTheDefault()
    {
        await using var server = await GrpcTestServer.StartAsync(new GrpcTestServerOptions { ConfigureGrpc = o => o.MaxReceiveMessageSize = 1024 });
        var path = ProbeService.PathOf("Unary");

        var accepted = await server.Channel.UnaryCall<StringValue, StringValue>(path, MessageOfSize(1024));
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Channel.UnaryCall<StringValue, StringValue>(path, MessageOfSize(1025)).ResponseAsync);
        var compressed = await Assert.ThrowsAsync<RpcException>(() => CompressingChannel(server).UnaryCall<StringValue, StringValue>(path, MessageOfSize(1025)).ResponseAsync);

        Assert.Equal(1024 - 3, accepted.Value.Length);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, compressed.StatusCode);
    }

    private static GrpcChannel CompressingChannel(GrpcTestServer server) =>
        GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { SendCompression = MessageCompression.Gzip });

    /// <summary>A StringValue whose encoding is exactly <paramref name="size"/> bytes (tag, length varint, text).</summary>
    private static StringValue MessageOfSize(int size)
    {
        var lengthBytes = size - 1 > 2_097_151 + 4 ? 4 : size - 1 > 16_383 + 3 ? 3 : 2;
        var message = new StringValue { Value = new string('a', size - 1 - lengthBytes) };
        Assert.Equal(size, message.CalculateSize());
        return message;
    }
}
