using Credentials.Core.Principals;
using Credentials.Server.Tests;
using Credentials.Testing;
using Credentials.V1;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Credentials.Cli.Tests;

/// <summary>
/// A real server with the Dalian committees, an authority and a DL-S01 committee token, and a
/// temporary directory for the files commands read and write.
/// </summary>
public abstract class CliServerTest : IAsyncLifetime
{
    private GrpcChannel? _channel;

    protected TestServer Server { get; private set; } = null!;

    protected string CommitteeToken { get; private set; } = "";

    /// <summary>An authority's token ("auditor").</summary>
    protected string AuthorityToken { get; private set; } = "";

    protected TempDirectory Files { get; } = new();

    /// <summary>The certificate service as an authority sees it, on the test's own channel: what a command did, checked apart from credctl.</summary>
    protected CertificateService.CertificateServiceClient AuthorityCertificates { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        await Server.SeedDalianCommitteesAsync();
        CommitteeToken = await Server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");
        AuthorityToken = await Server.AddPrincipalAsync("auditor", Role.Authority);
        _channel = GrpcChannel.ForAddress(Server.Address);
        AuthorityCertificates = new CertificateService.CertificateServiceClient(_channel.Intercept(headers =>
        {
            headers.Add("authorization", "Bearer " + AuthorityToken);
            return headers;
        }));
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        await Server.DisposeAsync();
        Files.Dispose();
    }

    protected string PathOf(string name) => Path.Combine(Files.Path, name);

    /// <summary>What `revoke` needs for a reason of fraud, which records the holder's misconduct.</summary>
    protected static readonly string[] FraudFinding =
        ["--unit", "大连市建筑设计研究院", "--facts", "申报材料中的业绩证明系伪造，经核查属实", "--deciding-body", "大连市人力资源和社会保障局"];

    /// <summary>credctl ARGS --server (this server) [--token TOKEN].</summary>
    protected Task<CliRun> RunAsync(string? token, params string[] args) =>
        CliRun.RunAsync([.. args, "--server", Server.Address.ToString(), .. token is null ? Array.Empty<string>() : ["--token", token]]);

    /// <summary>Issues a certificate for <paramref name="person"/> as DL-S01 and returns its JSON.</summary>
    protected async Task<System.Text.Json.Nodes.JsonNode> IssueAsync(int person = 1, string name = "张伟")
    {
        var run = await RunAsync(CommitteeToken, [.. IssueArgs(person, name), "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Json;
    }

    protected static string[] IssueArgs(int person, string name = "张伟") =>
    [
        "issue", "--committee", "DL-S01", "--name", name, "--document-number", IdNumber(person),
        "--series", "工程系列", "--specialty", "建筑工程", "--level", "deputy-senior", "--title-name", "高级工程师",
        "--review-meeting-date", "2024-10-25", "--qualification-date", "2024-12-01", "--approval-document", "大人社发〔2024〕15号",
    ];

    /// <summary>The same ID numbers as the server tests' fixtures.</summary>
    protected static string IdNumber(int person) => Samples.ResidentId(new DateOnly(1980, 1, 1).AddDays(person * 37), person % 1000);
}
