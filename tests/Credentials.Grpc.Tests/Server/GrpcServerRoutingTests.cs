using System.Net;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Empty = Grpc.Testing.Empty;

namespace Credentials.Grpc.Tests.Server;

/// <summary>What reaches a handler: content types, paths, and the number of request messages.</summary>
public sealed class GrpcServerRoutingTests(GrpcServerFixture fixture) : IClassFixture<GrpcServerFixture>
{
    private static readonly byte[] OneEmptyCall = GrpcFrame.Of(new Empty());

    private readonly GrpcTestServer _server = fixture.Server;

    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc; charset=utf-8")]
    [InlineData("application/grpc+proto;codec=v1")]
    [InlineData("Application/GRPC")]
    public async Task HandleAsync_GrpcContentType_IsServed(string contentType)
    {
        var response = await _server.Raw.SendAsync(TestServicePaths.EmptyCall, OneEmptyCall, contentType);

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/grpc+json")]
    [InlineData("application/grpcx")]
    [InlineData("application/grpc-web")]
    [InlineData(null)]
    public async Task HandleAsync_OtherContentType_Http415(string? contentType)
    {
        var response = await _server.Raw.SendAsync(TestServicePaths.EmptyCall, OneEmptyCall, contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.HttpStatus);
        Assert.Null(response.GrpcStatus);
    }

    [Theory]
    [InlineData("/no.such.Service/EmptyCall")]
    [InlineData("/grpc.testing.TestService/NoSuchMethod")]
    [InlineData("/grpc.testing.TestService/UnimplementedCall")]
    [InlineData("/grpc.testing.UnimplementedService/UnimplementedCall")]
    [InlineData("/")]
    public async Task HandleAsync_UnknownServiceOrMethod_UnimplementedTrailersOnly(string path)
    {
        var response = await _server.Raw.SendAsync(path, OneEmptyCall);

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal(StatusCode.Unimplemented, response.GrpcStatus);
        Assert.True(response.IsTrailersOnly, response.ToString());
    }

    [Fact]
    public async Task UnaryCall_UnknownMethod_ClientSeesUnimplemented()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Channel.UnaryCall<Empty, Empty>(TestServicePaths.UnimplementedCall, new Empty()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Theory]
    [InlineData(TestServicePaths.EmptyCall, 0)]
    [InlineData(TestServicePaths.EmptyCall, 2)]
    [InlineData(TestServicePaths.StreamingOutputCall, 0)]
    [InlineData(TestServicePaths.StreamingOutputCall, 2)]
    public async Task HandleAsync_SingleRequestMethodWithZeroOrTwoMessages_Unimplemented(string path, int messages)
    {
        var body = Enumerable.Repeat(OneEmptyCall, messages).SelectMany(frame => frame).ToArray();

        var response = await _server.Raw.SendAsync(path, body);

        Assert.Equal(StatusCode.Unimplemented, response.GrpcStatus);
        Assert.Empty(response.Frames());
    }

    [Fact]
    public async Task HandleAsync_ProbeUnaryWithOneMessage_Echoes()
    {
        var response = await _server.Raw.SendAsync(ProbeService.PathOf("Unary"), GrpcFrame.Of(new StringValue { Value = "ping" }));

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal("ping", Assert.Single(response.Messages(StringValue.Parser)).Value);
    }
}
