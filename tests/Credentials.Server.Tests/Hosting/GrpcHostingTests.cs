using Credentials.Server.Hosting;
using Credentials.Testing;
using Credentials.V1;
using Grpc.Core;

namespace Credentials.Server.Tests.Hosting;

/// <summary>
/// What Grpc.AspNetCore and Kestrel do for the server, as the settings in GrpcHosting and
/// ServerHost ask: gzip-compressed requests, the message size limit applied after decompression,
/// deadlines, and no cleartext away from loopback.
/// </summary>
public sealed class GrpcHostingTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Grpc.Net.Client compresses the request with the encoding this header names.</summary>
    private static Metadata Gzip() => new() { { "grpc-internal-encoding-request", "gzip" } };

    // A server without gzip would answer UNIMPLEMENTED (unsupported grpc-encoding).
    [Fact]
    public async Task Ping_GzipCompressedRequest_IsServed()
    {
        var response = await _server.Diagnostics().PingAsync(new PingRequest(), Gzip());

        Assert.Equal("pong", response.Message);
    }

    [Fact]
    public async Task VerifyEnvelope_CompressedBelowButDecompressedAboveTheLimit_IsResourceExhausted()
    {
        // 5 MiB of one letter compresses to a few KiB; the limit applies to what it decompresses to.
        var request = new VerifyEnvelopeRequest { QrText = new string('A', GrpcHosting.MaxReceiveMessageSize + (1 << 20)) };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Verification().VerifyEnvelopeAsync(request, Gzip()).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task VerifyStream_DeadlinePassesWhileWaitingForItems_IsDeadlineExceeded()
    {
        using var call = _server.Verification(_server.AuthorityToken).VerifyStream(deadline: DateTime.UtcNow.AddMilliseconds(300));

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Start_CleartextOnAnAddressOtherThanLoopback_IsRefused()
    {
        using var directory = new TempDirectory();
        await using var app = ServerHost.Build(["--urls", "http://0.0.0.0:0", "--data-dir", directory.Path]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("Refusing to serve cleartext", error.Message, StringComparison.Ordinal);
    }
}
