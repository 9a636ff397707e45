using System.Security.Cryptography.X509Certificates;
using Credentials.Core.Principals;
using Credentials.Server.Admin;
using Credentials.Server.Security;
using Credentials.Testing;
using Credentials.V1;
using Credentials.Store.Audit;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Security;

/// <summary>
/// Mutual TLS over real TLS on 127.0.0.1 with certificates made in the test: a principal bound to
/// a client certificate is accepted only on a connection that presented it.
/// </summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private readonly TempDirectory _files = new();
    private readonly TestPki _pki = new();
    private readonly TestPki _strangerPki = new("Someone Else's CA");
    private TestServer _server = null!;
    private X509Certificate2 _employerCertificate = null!;
    private X509Certificate2 _otherCertificate = null!;
    private string _employerCertificatePath = "";

    public async Task InitializeAsync()
    {
        var (serverCertificate, serverKey) = TestPki.WritePem(_pki.IssueServer(), _files.Path, "server");
        var (caPath, _) = TestPki.WritePem(X509CertificateLoader.LoadCertificate(_pki.Authority.RawData), _files.Path, "ca");
        _employerCertificate = _pki.IssueClient("hr-office");
        _otherCertificate = _pki.IssueClient("someone-else");
        (_employerCertificatePath, _) = TestPki.WritePem(_employerCertificate, _files.Path, "hr-office");
        _server = await TestServer.StartAsync(null, "--urls", "https://127.0.0.1:0",
            $"--Tls:CertificatePath={serverCertificate}", $"--Tls:KeyPath={serverKey}", $"--Tls:ClientCaPath={caPath}");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _pki.Dispose();
        _strangerPki.Dispose();
        _files.Dispose();
    }

    /// <summary>Lists committees on a new TLS connection that trusts only the test CA and presents <paramref name="clientCertificate"/>, if any.</summary>
    private async Task<ListCommitteesResponse> ListAsync(string token, X509Certificate2? clientCertificate)
    {
        using var channel = _server.CreateChannel(handler =>
        {
            handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { X509CertificateLoader.LoadCertificate(_pki.Authority.RawData) },
                RevocationMode = X509RevocationMode.NoCheck,
            };
            if (clientCertificate is not null)
            {
                handler.SslOptions.ClientCertificates = [clientCertificate];
            }
        });
        return await new CommitteeService.CommitteeServiceClient(_server.Caller(token, channel)).ListCommitteesAsync(new ListCommitteesRequest());
    }

    private async Task<string> AddBoundEmployerAsync() =>
        (await _server.Services.GetRequiredService<PrincipalAdmin>().AddAsync("hr-office", Role.Employer, null, AuditEntry.Local("test", "test"),
            ClientCertificates.Fingerprint(_employerCertificate))).Token;

    [Fact]
    public async Task Call_BoundTokenWithItsCertificate_IsAccepted()
    {
        var token = await AddBoundEmployerAsync();

        var response = await ListAsync(token, _employerCertificate);

        Assert.NotNull(response);
    }

    [Fact]
    public async Task Call_BoundTokenWithoutCertificate_IsUnauthenticated()
    {
        var token = await AddBoundEmployerAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(token, null));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("bound to a client certificate", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_BoundTokenWithAnotherTrustedCertificate_IsUnauthenticated()
    {
        var token = await AddBoundEmployerAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(token, _otherCertificate));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Call_CertificateOfAnUntrustedAuthority_FailsTheHandshake()
    {
        var token = await _server.AddPrincipalAsync("platform", Role.Platform);
        using var stranger = _strangerPki.IssueClient("intruder");

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(token, stranger));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    // The CA's server certificate chains to the bundle, so the handshake takes it; the certificate
    // authentication handler refuses it for client authentication (no clientAuth EKU), so a principal
    // bound to it cannot use it.
    [Fact]
    public async Task Call_BoundTokenWithATrustedCertificateNotForClients_IsUnauthenticated()
    {
        using var serverCertificate = _pki.IssueServer();
        var token = (await _server.Services.GetRequiredService<PrincipalAdmin>().AddAsync("hr-office", Role.Employer, null,
            AuditEntry.Local("test", "test"), ClientCertificates.Fingerprint(serverCertificate))).Token;

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(token, serverCertificate));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("bound to a client certificate", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_UnboundTokenWithOrWithoutCertificate_IsAccepted()
    {
        var token = await _server.AddPrincipalAsync("platform", Role.Platform);

        var without = await ListAsync(token, null);
        var with = await ListAsync(token, _otherCertificate);

        Assert.NotNull(without);
        Assert.NotNull(with);
    }

    [Fact]
    public async Task Call_CertificateWithoutToken_IsUnauthenticated()
    {
        await AddBoundEmployerAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync("", _employerCertificate));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    // The admin command is another process's write: the server's token cache sees it once its entry expires.
    [Fact]
    public async Task BindCertificateCommand_WhileServing_TakesEffectWithinTheTokenCacheLifetime()
    {
        var token = await _server.AddPrincipalAsync("hr-office", Role.Employer);
        await ListAsync(token, null);
        var output = new StringWriter();

        var code = await AdminCommands.RunAsync(["principals", "bind-certificate", "hr-office", _employerCertificatePath, "--data-dir", _server.DataDir],
            output, output);
        _server.Time.Advance(TokenCache.Lifetime);
        var refused = await Assert.ThrowsAsync<RpcException>(() => ListAsync(token, null));
        var accepted = await ListAsync(token, _employerCertificate);

        Assert.Equal(0, code);
        Assert.Contains(ClientCertificates.Hex(ClientCertificates.Fingerprint(_employerCertificate)), output.ToString(), StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.NotNull(accepted);
    }

    [Fact]
    public async Task UnbindCertificateCommand_TokenWorksWithoutCertificateAgain()
    {
        var token = await AddBoundEmployerAsync();
        var fingerprint = string.Join(':', Convert.ToHexString(ClientCertificates.Fingerprint(_employerCertificate)).Chunk(2).Select(c => new string(c)));
        var output = new StringWriter();

        var bindByFingerprint = await AdminCommands.RunAsync(["principals", "bind-certificate", "hr-office", fingerprint, "--data-dir", _server.DataDir], output, output);
        var stillBound = await Assert.ThrowsAsync<RpcException>(() => ListAsync(token, null));
        var unbind = await AdminCommands.RunAsync(["principals", "unbind-certificate", "hr-office", "--data-dir", _server.DataDir], output, output);
        _server.Time.Advance(TokenCache.Lifetime);
        var accepted = await ListAsync(token, null);

        Assert.Equal(0, bindByFingerprint);
        Assert.Equal(StatusCode.Unauthenticated, stillBound.StatusCode);
        Assert.Equal(0, unbind);
        Assert.NotNull(accepted);
    }

    [Fact]
    public async Task BindCertificateCommand_NotACertificate_IsRefused()
    {
        await _server.AddPrincipalAsync("hr-office", Role.Employer);
        var bogus = Path.Combine(_files.Path, "bogus.pem");
        await File.WriteAllTextAsync(bogus, "not a certificate");
        var error = new StringWriter();

        var code = await AdminCommands.RunAsync(["principals", "bind-certificate", "hr-office", bogus, "--data-dir", _server.DataDir], error, error);

        Assert.Equal(1, code);
        Assert.Contains("certificate", error.ToString(), StringComparison.Ordinal);
    }
}
