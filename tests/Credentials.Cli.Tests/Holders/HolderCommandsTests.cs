using Credentials.Cli.Hosting;
using Credentials.Server.Verification;
using Credentials.Server.Tests.Certificates;
using Credentials.Server.Tests.Holders;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Cli.Tests.Holders;

/// <summary>credctl as a certificate holder (me, share) with the holder's JWT, and as an employer with the code (verify --code).</summary>
public sealed class HolderCommandsTests : CliServerTest
{
    private string HolderToken(int person) => Server.HolderToken(IdNumber(person));

    [Fact]
    public async Task MeCertificates_HolderToken_ListsOnlyTheirsWithoutTheIdNumber()
    {
        var mine = await Server.IssueAsync(CertificateFixtures.Spec(1), CommitteeToken);
        await Server.IssueAsync(CertificateFixtures.Spec(2), CommitteeToken);

        var run = await RunAsync(HolderToken(1), "me", "certificates", "--save-qr-text", PathOf("qr"));
        var json = await RunAsync(HolderToken(1), "me", "certificates", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("1 certificate(s):", run.Out, StringComparison.Ordinal);
        Assert.Contains(mine.Number + "  VALID", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(IdNumber(1), run.Out, StringComparison.Ordinal);
        Assert.Equal(mine.QrText, File.ReadAllText(PathOf($"qr/{mine.Number}.txt")).Trim());
        Assert.Equal(mine.Number, (string?)json.Json["certificates"]![0]!["number"]);
        Assert.Single(json.Json["certificates"]!.AsArray());
    }

    [Fact]
    public async Task ShareCreateThenVerifyCode_EmployerVerifiesWithTheCodeAlone()
    {
        var mine = await Server.IssueAsync(CertificateFixtures.Spec(1), CommitteeToken);

        var created = await RunAsync(HolderToken(1), "share", "create", mine.Number, "--days", "30", "--purpose", "应聘 XX 公司", "--include-integrity", "--json");
        var code = (string)created.Json["code"]!;
        var verified = await RunAsync(null, "verify", "--code", code);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.StartsWith($"VALID: {mine.Number} is a valid certificate.", verified.Out, StringComparison.Ordinal);
        Assert.Contains("应聘 XX 公司", verified.Out, StringComparison.Ordinal);
        Assert.Contains("no active misconduct record", verified.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShareRevoke_ThenVerifyCode_IsNotFoundExitTwo()
    {
        var mine = await Server.IssueAsync(CertificateFixtures.Spec(1), CommitteeToken);
        var shared = await Server.ShareAsync(HolderToken(1), mine.Number);

        var revoked = await RunAsync(HolderToken(1), "share", "revoke", shared.ShareCode.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var listed = await RunAsync(HolderToken(1), "share", "list");
        var verified = await RunAsync(null, "verify", "--code", shared.Code);

        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Contains("REVOKED", listed.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotValid, verified.ExitCode);
        Assert.StartsWith("NOT_FOUND:", verified.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeLookups_AfterAVerificationByCode_ShowsIt()
    {
        var mine = await Server.IssueAsync(CertificateFixtures.Spec(1), CommitteeToken);
        var shared = await Server.ShareAsync(HolderToken(1), mine.Number);
        await RunAsync(null, "verify", "--code", shared.Code);
        await RunAsync(null, "verify", mine.Number, "--name", "张伟");
        await Server.Services.GetRequiredService<VerificationLog>().FlushAsync();

        var run = await RunAsync(HolderToken(1), "me", "lookups");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains($"{mine.Number}  number", lines[0], StringComparison.Ordinal);
        Assert.Contains($"share code {shared.ShareCode.Id}", lines[1], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.EndsWith("anonymous", l.TrimEnd(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Me_HolderToken_ShowsTheNameAndMaskedNumberNotTheNumber()
    {
        var run = await RunAsync(HolderToken(1), "me");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"signed in as:  张伟 (RESIDENT_ID_CARD {Core.Identity.IdentityDocument.Mask(IdNumber(1))})", run.Out, StringComparison.Ordinal);
        Assert.Contains("token expires:", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(IdNumber(1), run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeIntegrity_NoRecord_SaysSo()
    {
        var run = await RunAsync(HolderToken(3), "me", "integrity");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("No record is about you.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Me_WithAPrincipalToken_IsRefusedExitFour()
    {
        var run = await RunAsync(CommitteeToken, "me", "certificates");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Contains("PERMISSION_DENIED", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reissue_ByTheCommittee_PrintsTheNewDocumentVersion()
    {
        var number = await Server.IssueVersionOneAsync(CertificateFixtures.Spec(1));

        var run = await RunAsync(CommitteeToken, "reissue", number, "--reason", "持证人申请", "--save-qr-text", PathOf("new.txt"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Reissued (document version 2):", run.Out, StringComparison.Ordinal);
        Assert.StartsWith("TC1:", File.ReadAllText(PathOf("new.txt")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify", "--code", "7KQM-2XWD-9FHT-A3CN", "--name", "张伟")]
    [InlineData("verify")]
    [InlineData("verify", "DL-S01-2024-000001X")]
    public async Task Verify_CodeWithNumberOrNeither_IsAUsageError(params string[] args)
    {
        var run = await RunAsync(null, args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }
}
