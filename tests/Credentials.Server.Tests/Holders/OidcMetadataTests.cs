using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Credentials.V1;
using Grpc.Core;
using Microsoft.IdentityModel.Tokens;

namespace Credentials.Server.Tests.Holders;

/// <summary>
/// Holders:MetadataAddress: the service takes the identity provider's signing keys from its OpenID Connect
/// metadata (discovery document, then its jwks_uri), as a deployment with a way out does. The provider here is a
/// loopback HTTP listener serving the test provider's public key.
/// </summary>
public sealed class OidcMetadataTests
{
    [Fact]
    public async Task HolderToken_KeysFromTheProvidersMetadata_SignsIn()
    {
        using var provider = MetadataProvider.Start(TestHolders.Key);
        await using var server = await TestServer.StartAsync(DateTimeOffset.UtcNow, provider.ServerSettings);

        var me = await server.Holders(TestHolders.Token(server.Time.GetUtcNow(), IdNumber(1))).GetMeAsync(new GetMeRequest());

        Assert.Equal("张伟", me.Holder.Name);
        Assert.Contains("/.well-known/openid-configuration", provider.Requests);
        Assert.Contains("/jwks", provider.Requests);
    }

    [Fact]
    public async Task HolderToken_SignedWithAKeyTheMetadataDoesNotPublish_IsUnauthenticated()
    {
        using var provider = MetadataProvider.Start(TestHolders.Key);
        await using var server = await TestServer.StartAsync(DateTimeOffset.UtcNow, provider.ServerSettings);
        var token = TestHolders.Token(server.Time.GetUtcNow(), IdNumber(1), key: TestHolders.NewKey("not-published"));

        var refused = await Assert.ThrowsAsync<RpcException>(() => server.Holders(token).GetMeAsync(new GetMeRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    private static string IdNumber(int person) => Certificates.CertificateFixtures.IdNumber(person);

    /// <summary>An OpenID provider's two documents on 127.0.0.1, with the paths asked for recorded.</summary>
    private sealed class MetadataProvider : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Dictionary<string, string> _documents;
        private readonly CancellationTokenSource _stop = new();

        private MetadataProvider(int port, ECDsaSecurityKey key)
        {
            Root = $"http://127.0.0.1:{port}";
            var parameters = key.ECDsa.ExportParameters(includePrivateParameters: false);
            var jwks = new
            {
                keys = new[]
                {
                    new Dictionary<string, string>
                    {
                        ["kty"] = "EC", ["crv"] = "P-256", ["use"] = "sig", ["alg"] = "ES256", ["kid"] = key.KeyId,
                        ["x"] = Base64UrlEncoder.Encode(parameters.Q.X), ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
                    },
                },
            };
            var discovery = new Dictionary<string, object>
            {
                ["issuer"] = TestHolders.Issuer,
                ["jwks_uri"] = Root + "/jwks",
                ["authorization_endpoint"] = Root + "/authorize",
                ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
            };
            _documents = new()
            {
                ["/.well-known/openid-configuration"] = JsonSerializer.Serialize(discovery),
                ["/jwks"] = JsonSerializer.Serialize(jwks),
            };
            _listener.Prefixes.Add(Root + "/");
        }

        public string Root { get; }

        public List<string> Requests { get; } = [];

        public string[] ServerSettings =>
        [
            "--Holders:JwksPath=", "--Holders:MetadataAddress=" + Root + "/.well-known/openid-configuration", "--Holders:RequireHttpsMetadata=false",
        ];

        public static MetadataProvider Start(ECDsaSecurityKey key)
        {
            var provider = new MetadataProvider(FreePort(), key);
            provider._listener.Start();
            _ = provider.ServeAsync();
            return provider;
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().WaitAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                var path = context.Request.Url!.AbsolutePath;
                lock (Requests)
                {
                    Requests.Add(path);
                }
                var found = _documents.TryGetValue(path, out var body);
                context.Response.StatusCode = found ? 200 : 404;
                context.Response.ContentType = "application/json";
                var bytes = Encoding.UTF8.GetBytes(body ?? "{}");
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _stop.Dispose();
        }
    }
}
