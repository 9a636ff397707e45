using System.Security.Cryptography.X509Certificates;
using Credentials.Grpc.Client;
using Credentials.Grpc.Tests.Support;
using Grpc.Testing;

namespace Credentials.Grpc.Tests.Client;

/// <summary>Calls over https (ALPN h2) to a server whose self-signed certificate the channel trusts explicitly.</summary>
public sealed class GrpcChannelTlsTests : IClassFixture<GrpcChannelTlsTests.Fixture>
{
    private readonly GrpcTestServer _server;
    private readonly X509Certificate2 _certificate;

    public GrpcChannelTlsTests(Fixture fixture)
    {
        _server = fixture.Server;
        _certificate = fixture.Certificate;
    }

    [Fact]
    public async Task UnaryCall_ServerCertificateInTrustedRoots_Succeeds()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { TrustedRoots = [_certificate] });

        var response = await channel.UnaryCall<SimpleRequest, SimpleResponse>(TestServicePaths.UnaryCall, new SimpleRequest { ResponseSize = 100 });

        Assert.Equal("https", _server.Address.Scheme);
        Assert.Equal(100, response.Payload.Body.Length);
    }

    [Fact]
    public async Task DuplexStreamingCall_OverTls_PingPong()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { TrustedRoots = [_certificate] });
        using var call = channel.DuplexStreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse>(TestServicePaths.FullDuplexCall);

        await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { ResponseParameters = { new ResponseParameters { Size = 7 } } });
        Assert.True(await call.ResponseStream.MoveNext());
        await call.RequestStream.CompleteAsync();

        Assert.Equal(7, call.ResponseStream.Current.Payload.Body.Length);
        Assert.False(await call.ResponseStream.MoveNext());
    }

    [Fact]
    public async Task UnaryCall_OtherRootTrusted_Unavailable()
    {
        using var stranger = TestCertificates.SelfSignedServer("CN=someone-else");
        using var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { TrustedRoots = [stranger] });

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryCall<SimpleRequest, SimpleResponse>(TestServicePaths.UnaryCall, new SimpleRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task UnaryCall_NoTrustedRoots_SelfSignedCertificateRefused()
    {
        using var channel = GrpcChannel.ForAddress(_server.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryCall<SimpleRequest, SimpleResponse>(TestServicePaths.UnaryCall, new SimpleRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    public sealed class Fixture : GrpcServerFixture, IDisposable
    {
        public X509Certificate2 Certificate { get; } = TestCertificates.SelfSignedServer();

        protected override GrpcTestServerOptions Options => new() { Certificate = Certificate };

        public void Dispose() => Certificate.Dispose();
    }
}
