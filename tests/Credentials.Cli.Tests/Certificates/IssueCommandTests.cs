using Google.Protobuf;
using Credentials.Cli.Hosting;
using Credentials.Core.Principals;
using Credentials.V1;

namespace Credentials.Cli.Tests.Certificates;

public sealed class IssueCommandTests : CliServerTest
{
    [Fact]
    public async Task Issue_FromOptions_IssuesSignedCertificate()
    {
        var certificate = await IssueAsync(person: 1);

        var number = (string)certificate["number"]!;
        Assert.StartsWith("DL-S01-2024-", number, StringComparison.Ordinal);
        Assert.StartsWith("TC1:", (string)certificate["qrText"]!, StringComparison.Ordinal);
        var stored = await AuthorityCertificates.GetCertificateAsync(new GetCertificateRequest { Number = number });
        Assert.Equal("张伟", stored.Certificate.Spec.Holder.Name);
        Assert.Equal(TitleLevel.DeputySenior, stored.Certificate.Spec.Level);
        Assert.Equal(2024, stored.Certificate.Spec.ReviewYear);
    }

    [Fact]
    public async Task Issue_SameCommandTwice_ReplaysTheFirstCertificate()
    {
        var first = await IssueAsync(person: 2);

        var second = await IssueAsync(person: 2);

        Assert.Equal((string)first["number"]!, (string)second["number"]!);
        var list = await RunAsync(AuthorityToken, "list", "--json");
        Assert.Single(list.Json["certificates"]!.AsArray());
    }

    [Fact]
    public async Task Issue_TokenFromEnvironment_IsUsed()
    {
        var environment = new Dictionary<string, string> { ["CREDENTIALS_URL"] = Server.Address.ToString(), ["CREDENTIALS_TOKEN"] = CommitteeToken };

        var run = await CliRun.RunAsync(environment, null, [.. IssueArgs(3), "--json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("dl-s01", (string?)run.Json["issuedBy"]);
    }

    [Fact]
    public async Task Issue_MissingFields_ExitsUsageNamingEachAndIssuesNothing()
    {
        var run = await RunAsync(CommitteeToken, "issue", "--committee", "DL-S01", "--name", "张伟", "--level", "deputy-senior");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--document-number is missing", run.Error, StringComparison.Ordinal);
        Assert.Contains("--review-meeting-date is missing", run.Error, StringComparison.Ordinal);
        Assert.Empty((await ListAsync()).Certificates);
    }

    [Fact]
    public async Task Issue_BadDateAndLevel_ExitsUsage()
    {
        string[] args = [.. IssueArgs(4)];
        args[Array.IndexOf(args, "2024-10-25")] = "25.10.2024";
        args[Array.IndexOf(args, "deputy-senior")] = "senior";

        var run = await RunAsync(CommitteeToken, args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--review-meeting-date: '25.10.2024' is not a date yyyy-MM-dd", run.Error, StringComparison.Ordinal);
        Assert.Contains("--level: 'senior' is not one of", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_InvalidIdNumber_ExitsRefusedNamingTheField()
    {
        string[] args = [.. IssueArgs(5), "--json"];
        args[Array.IndexOf(args, IdNumber(5))] = "210202198001010000";

        var run = await RunAsync(CommitteeToken, args);

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Equal("INVALID_ARGUMENT", (string?)run.Json["error"]!["code"]);
        Assert.Contains(run.Json["error"]!["fields"]!.AsArray(), f => (string?)f!["field"] == "spec.holder.document_number");
        Assert.DoesNotContain("210202198001010000", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_OutsideScope_ExitsRefusedWithReason()
    {
        string[] args = [.. IssueArgs(6)];
        args[Array.IndexOf(args, "建筑工程")] = "计量";

        var run = await RunAsync(CommitteeToken, args);

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Contains("FAILED_PRECONDITION (OUTSIDE_ACCREDITED_SCOPE)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_EmployerToken_ExitsRefused()
    {
        var employer = await Server.AddPrincipalAsync("acme", Role.Employer);

        var run = await RunAsync(employer, IssueArgs(7));

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Contains("PERMISSION_DENIED", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void DerivedRequestId_IdNumberGuess_CannotBeTestedWithoutTheToken()
    {
        var request = new IssueCertificateRequest
        {
            CommitteeCode = "DL-S01",
            Spec = new CertificateSpec { Holder = new Holder { Name = "张伟", DocumentNumber = IdNumber(7) }, Series = "工程系列" },
        };

        var id = Credentials.Cli.Certificates.IssueCommand.DerivedRequestId(request, "crd_token-a");

        Assert.Equal(id, Credentials.Cli.Certificates.IssueCommand.DerivedRequestId(request.Clone(), "crd_token-a"));
        Assert.NotEqual(id, Credentials.Cli.Certificates.IssueCommand.DerivedRequestId(request, "crd_token-b"));
        // Without the token, the id is no plain hash of the request a guesser could recompute.
        var plain = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(request.ToByteArray()))[..32];
        Assert.Equal("credctl-", id[..8]);
        Assert.NotEqual(plain, id[8..]);
        Assert.NotEqual(id, Credentials.Cli.Certificates.IssueCommand.DerivedRequestId(request, null));
    }

    private Task<ListCertificatesResponse> ListAsync() => AuthorityCertificates.ListCertificatesAsync(new ListCertificatesRequest()).ResponseAsync;
}
