using System.Security.Cryptography.X509Certificates;
using Credentials.Cli.Hosting;
using Credentials.Core.Certificates;
using Credentials.Server.Tests;
using Credentials.Testing;

namespace Credentials.Cli.Tests.Hosting;

/// <summary>--ca: the server's TLS certificate is checked against the given CA, not the system store.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly TempDirectory _files = new();
    private readonly TestPki _pki = new();
    private readonly TestPki _strangerPki = new("Someone Else's CA");
    private TestServer _server = null!;
    private string _caPath = "";
    private string _strangerCaPath = "";

    public async Task InitializeAsync()
    {
        var (certificate, key) = TestPki.WritePem(_pki.IssueServer(), _files.Path, "server");
        (_caPath, _) = TestPki.WritePem(X509CertificateLoader.LoadCertificate(_pki.Authority.RawData), _files.Path, "ca");
        (_strangerCaPath, _) = TestPki.WritePem(X509CertificateLoader.LoadCertificate(_strangerPki.Authority.RawData), _files.Path, "stranger-ca");
        _server = await TestServer.StartAsync(null, "--urls", "https://127.0.0.1:0", $"--Tls:CertificatePath={certificate}", $"--Tls:KeyPath={key}");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
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

    private Task<CliRun> VerifyAsync(params string[] more)
    {
        const string Body = "DL-S01-2024-000001";
        var number = Body + CertificateNumber.CheckCharacter(Body.Replace("-", "", StringComparison.Ordinal));
        return CliRun.RunAsync(["verify", number, "--name", "张伟", "--server", _server.Address.ToString(), "--timeout", "10", .. more]);
    }
}
