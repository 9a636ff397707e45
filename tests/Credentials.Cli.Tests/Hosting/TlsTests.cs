using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Credentials.Cli.Hosting;
using Credentials.Core.Certificates;
using Credentials.Core.Principals;
using Credentials.Server.Admin;
using Credentials.Server.Tests;
using Credentials.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Cli.Tests.Hosting;

/// <summary>
/// Over real TLS with certificates made in the test: --ca checks the server's certificate against the given CA,
/// not the system store; --cert/--key present a client certificate, which a token bound to it needs.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly TempDirectory _files = new();
    private readonly TestPki _pki = new();
    private readonly TestPki _strangerPki = new("Someone Else's CA");
    private TestServer _server = null!;
    private string _caPath = "";
    private string _strangerCaPath = "";
    private X509Certificate2 _clientCertificate = null!;
    private string _clientCertificatePath = "";
    private string _clientKeyPath = "";

    public async Task InitializeAsync()
    {
        var (certificate, key) = TestPki.WritePem(_pki.IssueServer(), _files.Path, "server");
        (_caPath, _) = TestPki.WritePem(X509CertificateLoader.LoadCertificate(_pki.Authority.RawData), _files.Path, "ca");
        (_strangerCaPath, _) = TestPki.WritePem(X509CertificateLoader.LoadCertificate(_strangerPki.Authority.RawData), _files.Path, "stranger-ca");
        _clientCertificate = _pki.IssueClient("hr-office");
        (_clientCertificatePath, _clientKeyPath) = TestPki.WritePem(_clientCertificate, _files.Path, "hr-office");
        _server = await TestServer.StartAsync(null, "--urls", "https://127.0.0.1:0", $"--Tls:CertificatePath={certificate}", $"--Tls:KeyPath={key}",
            $"--Tls:ClientCaPath={_caPath}");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _clientCertificate.Dispose();
        _pki.Dispose();
        _strangerPki.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task Verify_CaOfTheServer_ReachesIt()
    {
        var run = await VerifyAsync("--ca", _caPath);

        Assert.True(run.ExitCode == ExitCodes.NotValid, run.ToString());
        Assert.StartsWith("NOT_FOUND", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AnotherCa_FailsAsTransportError()
    {
        var run = await VerifyAsync("--ca", _strangerCaPath);

        Assert.Equal(ExitCodes.ServerError, run.ExitCode);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Verify_NoCa_TheSystemStoreDoesNotTrustIt()
    {
        var run = await VerifyAsync();

        Assert.Equal(ExitCodes.ServerError, run.ExitCode);
    }

    [Fact]
    public async Task Verify_CaFileWithoutCertificate_ExitsUsage()
    {
        var empty = Path.Combine(_files.Path, "empty.pem");
        await File.WriteAllTextAsync(empty, "no certificate here\n");

        var run = await VerifyAsync("--ca", empty);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("holds no PEM certificate", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_BoundTokenWithItsCertificateAndKey_IsAccepted()
    {
        var token = await AddBoundPlatformAsync();

        var run = await ListAsync(token, "--cert", _clientCertificatePath, "--key", _clientKeyPath);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.Empty(run.Json["certificates"]!.AsArray());
    }

    [Fact]
    public async Task List_BoundTokenWithCertificateAndKeyInOneFile_IsAccepted()
    {
        var token = await AddBoundPlatformAsync();
        var both = Path.Combine(_files.Path, "hr-office-with-key.pem");
        await File.WriteAllTextAsync(both, await File.ReadAllTextAsync(_clientCertificatePath) + "\n" + await File.ReadAllTextAsync(_clientKeyPath));

        var run = await ListAsync(token, "--cert", both);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
    }

    [Fact]
    public async Task List_BoundTokenWithoutCertificate_IsRefusedAsUnauthenticated()
    {
        var token = await AddBoundPlatformAsync();

        var run = await ListAsync(token);

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Equal("UNAUTHENTICATED", (string?)run.Json["error"]!["code"]);
        Assert.Contains("bound to a client certificate", (string?)run.Json["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_CertificateWithoutItsKey_ExitsUsage()
    {
        var token = await AddBoundPlatformAsync();

        var run = await ListAsync(token, "--cert", _clientCertificatePath);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--cert", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_KeyWithoutCertificate_ExitsUsage()
    {
        var run = await ListAsync("crd_x", "--key", _clientKeyPath);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--key goes with --cert", run.Out, StringComparison.Ordinal);
    }

    /// <summary>A platform principal bound to the client certificate, as <c>principals add --certificate</c> makes it.</summary>
    private async Task<string> AddBoundPlatformAsync() =>
        (await _server.Services.GetRequiredService<PrincipalAdmin>().AddAsync("hr-office", Role.Platform, null, Credentials.Store.Audit.AuditEntry.Local("test", "test"),
            SHA256.HashData(_clientCertificate.RawData))).Token;

    private Task<CliRun> ListAsync(string token, params string[] more) =>
        CliRun.RunAsync(["list", "--server", _server.Address.ToString(), "--ca", _caPath, "--token", token, "--json", "--timeout", "10", .. more]);

    private Task<CliRun> VerifyAsync(params string[] more)
    {
        const string Body = "DL-S01-2024-000001";
        var number = Body + CertificateNumber.CheckCharacter(Body.Replace("-", "", StringComparison.Ordinal));
        return CliRun.RunAsync(["verify", number, "--name", "张伟", "--server", _server.Address.ToString(), "--timeout", "10", .. more]);
    }
}
