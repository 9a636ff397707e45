using Credentials.Cli.Hosting;
using Credentials.Core.Certificates;

namespace Credentials.Cli.Tests.Certificates;

public sealed class CertificateCommandsTests : CliServerTest
{
    [Fact]
    public async Task Revoke_ForFraud_RevokesOnceRecordsTheMisconductAndReplaysTheSameCommand()
    {
        var number = (string)(await IssueAsync(person: 60))["number"]!;
        string[] revoke = ["revoke", number, "--reason", "false-materials", "--decision-document", "大人社发〔2024〕40号", .. FraudFinding];

        var revoked = await RunAsync(CommitteeToken, [.. revoke, "--json"]);
        var again = await RunAsync(CommitteeToken, [.. revoke, "--json"]);
        var other = await RunAsync(CommitteeToken, ["revoke", number, "--reason", "false-materials", "--decision-document", "大人社发〔2024〕41号", .. FraudFinding]);

        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Equal("CERTIFICATE_STATE_REVOKED", (string?)revoked.Json["state"]);
        Assert.Equal("REVOCATION_REASON_FALSE_MATERIALS", (string?)revoked.Json["revocation"]!["reason"]);
        Assert.StartsWith("MR-2024-", (string?)revoked.Json["revocation"]!["misconductRecordId"], StringComparison.Ordinal);
        // The same command is the same request (its id is derived from the content): answered again, not revoked twice.
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(revoked.Json.ToJsonString(), again.Json.ToJsonString());
        Assert.Equal(ExitCodes.Refused, other.ExitCode);
        Assert.Contains("CERTIFICATE_ALREADY_REVOKED", other.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_ForFraudWithoutTheFinding_IsRefusedNamingTheFields()
    {
        var number = (string)(await IssueAsync(person: 62))["number"]!;

        var run = await RunAsync(CommitteeToken, "revoke", number, "--reason", "plagiarism", "--decision-document", "大人社发〔2024〕40号", "--unit", "大连理工大学");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Contains("misconduct.facts", run.Error, StringComparison.Ordinal);
        Assert.Contains("misconduct.deciding_body", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("misconduct.unit", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Issued_ShowsItAndSavesEnvelopeAndQrText()
    {
        var issued = await IssueAsync(person: 61);
        var number = (string)issued["number"]!;

        var run = await RunAsync(CommitteeToken, "get", number, "--save-envelope", PathOf("c.env"), "--save-qr-text", PathOf("c.txt"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith(number + "  VALID", run.Out, StringComparison.Ordinal);
        Assert.Contains("holder:", run.Out, StringComparison.Ordinal);
        Assert.Equal((string)issued["qrText"]!, (await File.ReadAllTextAsync(PathOf("c.txt"))).Trim());
        var envelope = V1.Envelope.Parser.ParseFrom(await File.ReadAllBytesAsync(PathOf("c.env")));
        Assert.Equal(Convert.FromBase64String((string)issued["envelope"]!["payload"]!), envelope.Payload.ToByteArray());
    }

    [Fact]
    public async Task Get_UnknownNumber_ExitsNotValid()
    {
        var body = "DL-S01-2024-999999";
        var number = body + CertificateNumber.CheckCharacter(body.Replace("-", "", StringComparison.Ordinal));

        var run = await RunAsync(AuthorityToken, "get", number);

        Assert.Equal(ExitCodes.NotValid, run.ExitCode);
        Assert.Contains("NOT_FOUND", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_MistypedNumber_ExitsRefused()
    {
        var run = await RunAsync(AuthorityToken, "get", "DL-S01-2024-0000010");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Contains("INVALID_ARGUMENT", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_PagesOfTwo_AllFollowsEveryPage()
    {
        foreach (var person in new[] { 70, 71, 72, 73, 74 })
        {
            await IssueAsync(person, "张伟" + (char)('甲' + person % 10));
        }

        var firstPage = await RunAsync(AuthorityToken, "list", "--page-size", "2", "--json");
        var all = await RunAsync(AuthorityToken, "list", "--page-size", "2", "--all");
        var revokedOnly = await RunAsync(AuthorityToken, "list", "--state", "revoked", "--json");

        Assert.Equal(2, firstPage.Json["certificates"]!.AsArray().Count);
        Assert.NotEqual("", (string?)firstPage.Json["nextPageToken"]);
        Assert.Equal(5, all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains("\tVALID\t", line, StringComparison.Ordinal));
        Assert.Empty(revokedOnly.Json["certificates"]!.AsArray());
    }

    [Fact]
    public async Task List_NextPageToken_ContinuesWhereThePageEnded()
    {
        foreach (var person in new[] { 80, 81, 82 })
        {
            await IssueAsync(person, "张伟" + (char)('甲' + person % 10));
        }
        var first = await RunAsync(AuthorityToken, "list", "--page-size", "2", "--json");

        var second = await RunAsync(AuthorityToken, "list", "--page-size", "2", "--page-token", (string)first.Json["nextPageToken"]!, "--json");

        var numbers = first.Json["certificates"]!.AsArray().Concat(second.Json["certificates"]!.AsArray()).Select(c => (string)c!["number"]!).ToList();
        Assert.Equal(3, numbers.Distinct().Count());
        Assert.Equal("", (string?)second.Json["nextPageToken"] ?? "");
    }
}
