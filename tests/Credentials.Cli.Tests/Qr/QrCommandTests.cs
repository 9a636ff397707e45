using Credentials.Cli.Hosting;

namespace Credentials.Cli.Tests.Qr;

public sealed class QrCommandTests : CliServerTest
{
    [Fact]
    public async Task Qr_Number_WritesPngAndSvg()
    {
        var issued = await IssueAsync(person: 100);

        var run = await RunAsync(CommitteeToken, "qr", (string)issued["number"]!, "--png", PathOf("c.png"), "--svg", PathOf("c.svg"), "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal((string)issued["qrText"]!, (string?)run.Json["qrText"]);
        var png = await File.ReadAllBytesAsync(PathOf("c.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Contains("<svg", await File.ReadAllTextAsync(PathOf("c.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Qr_TextFileToTerminal_DrawsWithoutAToken()
    {
        var issued = await IssueAsync(person: 101);
        await File.WriteAllTextAsync(PathOf("c.txt"), (string)issued["qrText"]! + "\n");

        var run = await CliRun.RunAsync("qr", PathOf("c.txt"), "--terminal", "--server", "http://127.0.0.1:1");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 20, run.Out);
        Assert.Contains('▀', run.Out);
        Assert.Contains("QR code version", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Qr_NoOutputChosen_ExitsUsage()
    {
        var run = await CliRun.RunAsync("qr", "TC1:ABC");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    [Fact]
    public async Task Qr_InvalidText_ExitsUsage()
    {
        var run = await CliRun.RunAsync("qr", "TC1:not base45!", "--terminal");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("not a valid TC1: text", run.Error, StringComparison.Ordinal);
    }
}
