using Credentials.Grpc.Protocol;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf;
using Grpc.Testing;

namespace Credentials.Grpc.Tests.Server;

/// <summary>Broken request bodies: each gets a gRPC error, and the server goes on serving.</summary>
public sealed class GrpcServerMalformedInputTests(GrpcServerFixture fixture) : IClassFixture<GrpcServerFixture>
{
    private static readonly byte[] ValidRequest = new SimpleRequest { ResponseSize = 3 }.ToByteArray();
    private static readonly byte[] LargeRequest = new SimpleRequest { ResponseSize = 3, Payload = new Payload { Body = ByteString.CopyFrom(new byte[10_000]) } }.ToByteArray();

    private readonly GrpcTestServer _server = fixture.Server;

    public static TheoryData<string, byte[], string?, StatusCode> Cases => new()
    {
        { "truncated prefix", [0, 0, 0], null, StatusCode.Internal },
        { "length larger than the body", [.. GrpcFrame.Prefix(0, 100), .. new byte[10]], null, StatusCode.Internal },
        { "4 GiB length", [.. GrpcFrame.Prefix(0, uint.MaxValue), .. new byte[16]], null, StatusCode.ResourceExhausted },
        { "invalid wire type", GrpcFrame.Of([0x0F]), null, StatusCode.Internal },
        { "truncated field", GrpcFrame.Of([0x12, 0x7F, 0x01]), null, StatusCode.Internal },
        { "endless varint", GrpcFrame.Of([0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]), null, StatusCode.Internal },
        { "compressed flag without grpc-encoding", GrpcFrame.Of(ValidRequest, flag: 1), null, StatusCode.Internal },
        { "compressed flag 2", GrpcFrame.Of(ValidRequest, flag: 2), null, StatusCode.Internal },
        { "compressed flag 2 with gzip", GrpcFrame.Of(ValidRequest, flag: 2), MessageCompression.Gzip, StatusCode.Internal },
        { "gzip flag on bytes that are not gzip", GrpcFrame.Of(ValidRequest, flag: 1), MessageCompression.Gzip, StatusCode.Internal },
        { "deflate flag on bytes that are not zlib", GrpcFrame.Of(ValidRequest, flag: 1), MessageCompression.Deflate, StatusCode.Internal },
        { "gzip stream cut short", GrpcFrame.Of(MessageCompression.Compress(MessageCompression.Gzip, LargeRequest)[..^6], flag: 1), MessageCompression.Gzip, StatusCode.Internal },
        { "zlib stream cut short", GrpcFrame.Of(MessageCompression.Compress(MessageCompression.Deflate, LargeRequest)[..^3], flag: 1), MessageCompression.Deflate, StatusCode.Internal },
        { "empty gzip payload", GrpcFrame.Of([], flag: 1), MessageCompression.Gzip, StatusCode.Internal },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task UnaryCall_MalformedBody_GrpcErrorThenServesTheNextCall(string name, byte[] body, string? encoding, StatusCode expected)
    {
        (string, string)[] headers = encoding is null ? [] : [(GrpcProtocol.EncodingHeader, encoding)];

        var response = await _server.Raw.SendAsync(TestServicePaths.UnaryCall, body, headers: headers);
        var next = await _server.Raw.SendAsync(TestServicePaths.UnaryCall, GrpcFrame.Of(ValidRequest));

        Assert.True(expected == response.GrpcStatus, $"{name}: {response}");
        Assert.True(response.IsTrailersOnly, $"{name}: {response}");
        Assert.Equal(StatusCode.OK, next.GrpcStatus);
        Assert.Equal(3, Assert.Single(next.Messages(SimpleResponse.Parser)).Payload.Body.Length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task StreamingInputCall_MalformedSecondMessage_GrpcErrorThenServesTheNextCall(string name, byte[] body, string? encoding, StatusCode expected)
    {
        (string, string)[] headers = encoding is null ? [] : [(GrpcProtocol.EncodingHeader, encoding)];
        byte[] stream = [.. GrpcFrame.Of(new StreamingInputCallRequest()), .. body];

        var response = await _server.Raw.SendAsync(TestServicePaths.StreamingInputCall, stream, headers: headers);
        var next = await _server.Raw.SendAsync(TestServicePaths.StreamingInputCall, GrpcFrame.Of(new StreamingInputCallRequest()));

        Assert.True(expected == response.GrpcStatus, $"{name}: {response}");
        Assert.Equal(StatusCode.OK, next.GrpcStatus);
    }
}
