using System.Text;
using Credentials.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace Credentials.Server.Tests.Security.Hostile;

/// <summary>Metadata the server reads itself: a bad request id is INVALID_ARGUMENT naming it, a bad token UNAUTHENTICATED.</summary>
public sealed class HostileMetadataTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private GrpcChannel _hostile = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        // Sends any header text as its UTF-8 bytes, as a hostile client may; the default handler refuses what is not ASCII.
        _hostile = _server.CreateChannel(handler => handler.RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8);
    }

    public async Task DisposeAsync()
    {
        _hostile.Dispose();
        await _server.DisposeAsync();
    }

    private Task<PingResponse> PingAsync(Metadata headers) => new DiagnosticsService.DiagnosticsServiceClient(_hostile).PingAsync(new PingRequest(), headers).ResponseAsync;

    [Theory]
    [InlineData("two words")]
    [InlineData("ünïcödé")]
    [InlineData("职称")]
    [InlineData("a\tb")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task RequestIdHeader_Malformed_IsInvalidArgumentNamingIt(string value)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => PingAsync(new Metadata { { "x-request-id", value } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("x-request-id", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    // NUL, CR and LF make an HTTP/2 field malformed (RFC 9113 8.2.1): Kestrel refuses those at
    // the protocol level, before gRPC, and HttpClient does not send them.
    [Theory]
    [InlineData("Bearer crd_ü")]
    [InlineData("Bearer 职称")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer crd_0000000000000000000000000000000000000000000000000\u007f")]
    public async Task AuthorizationHeader_Garbage_IsUnauthenticated(string value)
    {
        var committees = new CommitteeService.CommitteeServiceClient(_hostile);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            committees.ListCommitteesAsync(new ListCommitteesRequest(), new Metadata { { "authorization", value } }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Call_AfterHostileMetadata_IsServedNormally()
    {
        await Assert.ThrowsAsync<RpcException>(() => PingAsync(new Metadata { { "x-request-id", "职称" }, { "authorization", "Bearer ü" } }));

        var pong = await PingAsync([]);

        Assert.Equal("pong", pong.Message);
    }
}
