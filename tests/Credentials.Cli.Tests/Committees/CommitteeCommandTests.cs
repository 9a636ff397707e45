using Credentials.Cli.Hosting;

namespace Credentials.Cli.Tests.Committees;

public sealed class CommitteeCommandTests : CliServerTest
{
    [Fact]
    public async Task Renew_ThenGet_ShowsBothWindows()
    {
        var renewed = await RunAsync(AuthorityToken, "committee", "renew", "DL-S01", "--until", "2029-12-31", "--decision-document", "大人社函〔2024〕50号", "--json");
        var shown = await RunAsync(AuthorityToken, "committee", "get", "DL-S01");

        Assert.True(renewed.ExitCode == 0, renewed.ToString());
        var windows = renewed.Json["accreditations"]!.AsArray();
        Assert.Equal(["2024-01-01..2026-12-31", "2027-01-01..2029-12-31"], windows.Select(w => $"{Date(w!["validFrom"])}..{Date(w!["validUntil"])}"));
        Assert.Equal("大人社函〔2024〕50号", (string?)windows[1]!["decisionDocument"]);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.StartsWith("DL-S01  ACTIVE  accreditation VALID", shown.Out, StringComparison.Ordinal);
        Assert.Contains("2024-01-01 to 2026-12-31  (at creation)", shown.Out, StringComparison.Ordinal);
        Assert.Contains("2027-01-01 to 2029-12-31  大人社函〔2024〕50号  recorded 2024-12-20 by auditor", shown.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renew_BeyondThreeYears_IsRefusedWithTheReason()
    {
        var run = await RunAsync(AuthorityToken, "committee", "renew", "DL-S01", "--from", "2027-01-01", "--until", "2030-01-01", "--decision-document", "大人社函〔2024〕50号");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Contains("FAILED_PRECONDITION (ACCREDITATION_TOO_LONG)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateScope_ThenGet_ShowsTheScopeInForceAndTheEarlierOne()
    {
        var updated = await RunAsync(AuthorityToken, "committee", "update-scope", "DL-S02", "--series", "工程系列", "--specialty", "计量",
            "--specialty", "检验检测", "--level", "deputy-senior", "--level", "intermediate", "--decision-document", "大人社函〔2024〕51号",
            "--effective-date", "2024-12-01");

        Assert.True(updated.ExitCode == 0, updated.ToString());
        Assert.Matches(@"\n  scope: +工程系列 / 计量, 检验检测 \(DEPUTY_SENIOR, INTERMEDIATE\)\n", updated.Out);
        Assert.Contains("from 2024-01-01  工程系列 / 计量, 质量, 标准化, 特种设备 (DEPUTY_SENIOR)  (at creation)", updated.Out, StringComparison.Ordinal);
        Assert.Contains("from 2024-12-01  工程系列 / 计量, 检验检测 (DEPUTY_SENIOR, INTERMEDIATE)  大人社函〔2024〕51号", updated.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ExpiredAfterTheWindow_ShowsOnlyTheUnrenewed()
    {
        var renewed = await RunAsync(AuthorityToken, "committee", "renew", "DL-S01", "--until", "2029-12-31", "--decision-document", "大人社函〔2024〕50号");
        Server.Time.SetUtcNow(new DateTimeOffset(2027, 1, 1, 9, 0, 0, TimeSpan.FromHours(8)));

        var expired = await RunAsync(AuthorityToken, "committee", "list", "--accreditation", "expired");
        var valid = await RunAsync(AuthorityToken, "committee", "list", "--accreditation", "valid");

        Assert.True(renewed.ExitCode == 0, renewed.ToString());
        Assert.Equal(29, expired.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("DL-S01\t", expired.Out, StringComparison.Ordinal);
        Assert.StartsWith("DL-S01\tACTIVE\tVALID\t2027-01-01..2029-12-31\t", valid.Out, StringComparison.Ordinal);
    }

    private static string Date(System.Text.Json.Nodes.JsonNode? date) =>
        $"{(int)date!["year"]!:D4}-{(int)date["month"]!:D2}-{(int)date["day"]!:D2}";
}
