using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Credentials.Core.Principals;
using Credentials.Server.Admin;
using Credentials.Store.Audit;
using Credentials.Sync;
using Credentials.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Ledger;

/// <summary>
/// credentials-sync over real TLS with certificates made in the test: --ca trusts the server's private CA, and
/// --cert/--key present the client certificate the platform's token is bound to (mutual TLS).
/// </summary>
public sealed class PlatformSyncTlsTests : IAsyncLifetime
{
    private readonly TempDirectory _files = new();
    private readonly TestPki _pki = new();
    private TestServer _server = null!;
    private X509Certificate2 _platformCertificate = null!;
    private string _caPath = "";
    private string _certificatePath = "";
    private string _keyPath = "";
    private string _token = "";

    public async Task InitializeAsync()
    {
        var (serverCertificate, serverKey) = TestPki.WritePem(_pki.IssueServer(), _files.Path, "server");
        (_caPath, _) = TestPki.WritePem(X509CertificateLoader.LoadCertificate(_pki.Authority.RawData), _files.Path, "ca");
        _platformCertificate = _pki.IssueClient("platform");
        (_certificatePath, _keyPath) = TestPki.WritePem(_platformCertificate, _files.Path, "platform");
        _server = await TestServer.StartAsync(null, "--urls", "https://127.0.0.1:0",
            $"--Tls:CertificatePath={serverCertificate}", $"--Tls:KeyPath={serverKey}", $"--Tls:ClientCaPath={_caPath}");
        await _server.SeedDalianCommitteesAsync();
        (_, _token) = await _server.Services.GetRequiredService<PrincipalAdmin>().AddAsync("platform", Role.Platform, null, AuditEntry.Local("test", "test"),
            SHA256.HashData(_platformCertificate.RawData));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _platformCertificate.Dispose();
        _pki.Dispose();
        _files.Dispose();
    }

    private async Task<(int Code, string Output, string Error)> SyncAsync(params string[] tls)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SyncCommand.RunAsync(["--server", _server.Address.ToString(), "--mirror", Path.Combine(_files.Path, "mirror.db"), .. tls],
            _token, output, error);
        SqliteConnection.ClearAllPools();
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Sync_WithTheCaAndTheBoundCertificate_SyncsAndVerifies()
    {
        var (code, output, error) = await SyncAsync("--ca", _caPath, "--cert", _certificatePath, "--key", _keyPath);

        Assert.True(code == SyncCommand.Synced, error);
        Assert.Contains("synced 0 -> ", output, StringComparison.Ordinal);
        Assert.Contains("checkpoint signature, consistency and root verified", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_BoundTokenWithoutTheCertificate_IsRefused()
    {
        var (code, _, error) = await SyncAsync("--ca", _caPath);

        Assert.Equal(SyncCommand.NotSynced, code);
        Assert.Contains("the server refused: Unauthenticated", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_WithoutTheCa_CannotReachItOverTls()
    {
        var (code, _, error) = await SyncAsync("--cert", _certificatePath, "--key", _keyPath);

        Assert.Equal(SyncCommand.NotSynced, code);
        Assert.Contains("cannot reach", error, StringComparison.Ordinal);
    }
}
