using Credentials.Cli.Hosting;

namespace Credentials.Cli.Tests.Integrity;

public sealed class MisconductCommandTests : CliServerTest
{
    [Fact]
    public async Task Record_NamingACertificate_RecordsAndRevokesIt()
    {
        var number = (string)(await IssueAsync(person: 90))["number"]!;

        var run = await RunAsync(AuthorityToken, "misconduct", "record", "--name", "张伟", "--document-number", IdNumber(90), "--unit", "大连市建筑设计研究院",
            "--type", "false-materials", "--facts", "申报材料中的业绩证明系伪造，经核查属实", "--decision-document", "大人社发〔2024〕40号",
            "--deciding-body", "大连市人力资源和社会保障局", "--decision-date", "2024-12-18", "--certificate", number, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("MISCONDUCT_STATE_ACTIVE", (string?)run.Json["state"]);
        Assert.DoesNotContain(IdNumber(90), run.Out, StringComparison.Ordinal);
        var get = await RunAsync(AuthorityToken, "get", number, "--json");
        Assert.Equal("CERTIFICATE_STATE_REVOKED", (string?)get.Json["state"]);
    }

    [Fact]
    public async Task Record_UnknownType_ExitsUsage()
    {
        var run = await RunAsync(AuthorityToken, "misconduct", "record", "--name", "张伟", "--document-number", IdNumber(91), "--unit", "x",
            "--type", "lying", "--facts", "x", "--decision-document", "x", "--deciding-body", "x", "--decision-date", "2024-12-18");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--type: 'lying' is not one of", run.Error, StringComparison.Ordinal);
    }
}
