using Credentials.Grpc;

namespace Credentials.Server.Tests.Security.Hostile;

/// <summary>Metadata the server reads itself: a bad request id is INVALID_ARGUMENT naming it, a bad token UNAUTHENTICATED.</summary>
public sealed class HostileMetadataTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("two words")]
    [InlineData("ünïcödé")]
    [InlineData("职称")]
    [InlineData("a\tb")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task RequestIdHeader_Malformed_IsInvalidArgumentNamingIt(string value)
    {
        var (status, badRequest) = await _server.RawCallAsync("DiagnosticsService/Ping", ("x-request-id", value));

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Equal("x-request-id", Assert.Single(badRequest!.FieldViolations).Field);
    }

    // NUL, CR and LF make an HTTP/2 field malformed (RFC 9113 8.2.1): Kestrel refuses those at
    // the protocol level, before gRPC; the protocol fuzz tests cover them.
    [Theory]
    [InlineData("Bearer crd_ü")]
    [InlineData("Bearer 职称")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer crd_0000000000000000000000000000000000000000000000000\u007f")]
    public async Task AuthorizationHeader_Garbage_IsUnauthenticated(string value)
    {
        var (status, _) = await _server.RawCallAsync("CommitteeService/ListCommittees", ("authorization", value));

        Assert.Equal(StatusCode.Unauthenticated, status);
    }

    [Fact]
    public async Task Call_AfterHostileMetadata_IsServedNormally()
    {
        await _server.RawCallAsync("DiagnosticsService/Ping", ("x-request-id", "职称"), ("authorization", "Bearer ü"));

        var (status, _) = await _server.RawCallAsync("DiagnosticsService/Ping");

        Assert.Equal(StatusCode.OK, status);
    }
}
