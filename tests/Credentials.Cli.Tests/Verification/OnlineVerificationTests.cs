using Credentials.Cli.Hosting;

namespace Credentials.Cli.Tests.Verification;

/// <summary>verify, verify-envelope and keys save against the real VerificationService, without a token (as an employer's script would).</summary>
public sealed class OnlineVerificationTests : CliServerTest
{
    [Fact]
    public async Task Verify_ValidCertificate_ExitsOkWithItsContent()
    {
        var number = (string)(await IssueAsync(person: 120))["number"]!;

        var run = await RunAsync(null, "verify", number, "--name", "张伟");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith($"VALID: {number} is a valid certificate.", run.Out, StringComparison.Ordinal);
        Assert.Contains("高级工程师 (DEPUTY_SENIOR), 工程系列 / 建筑工程", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(IdNumber(120), run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WithMatchingDocumentNumber_IsValid()
    {
        var number = (string)(await IssueAsync(person: 121))["number"]!;

        var run = await RunAsync(null, "verify", number, "--name", "张伟", "--document-number", IdNumber(121), "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("VERIFICATION_RESULT_VALID", (string?)run.Json["result"]);
    }

    [Fact]
    public async Task Verify_WrongName_AnswersLikeAnUnknownNumber()
    {
        var number = (string)(await IssueAsync(person: 122))["number"]!;

        var wrongName = await RunAsync(null, "verify", number, "--name", "李四", "--json");

        Assert.Equal(ExitCodes.NotValid, wrongName.ExitCode);
        Assert.Equal("VERIFICATION_RESULT_NOT_FOUND", (string?)wrongName.Json["result"]);
        Assert.Null(wrongName.Json["certificate"]);
    }

    [Fact]
    public async Task Verify_Revoked_ExitsNotValidWithTheRevocation()
    {
        var number = (string)(await IssueAsync(person: 123))["number"]!;
        var revoke = await RunAsync(CommitteeToken, ["revoke", number, "--reason", "plagiarism", "--decision-document", "大人社发〔2024〕41号", .. FraudFinding]);
        Assert.Equal(0, revoke.ExitCode);

        var run = await RunAsync(null, "verify", number, "--name", "张伟");

        Assert.Equal(ExitCodes.NotValid, run.ExitCode);
        Assert.StartsWith($"REVOKED: {number} was revoked.", run.Out, StringComparison.Ordinal);
        Assert.Contains("revoked:", run.Out, StringComparison.Ordinal);
        Assert.Contains("(PLAGIARISM)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MistypedNumber_ExitsRefused()
    {
        var run = await RunAsync(null, "verify", "DL-S01-2024-0000010", "--name", "张伟");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Contains("INVALID_ARGUMENT", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyEnvelope_QrTextThenRevoked_ValidThenRevoked()
    {
        var issued = await IssueAsync(person: 124);
        var number = (string)issued["number"]!;
        await File.WriteAllTextAsync(PathOf("c.txt"), (string)issued["qrText"]!);

        var before = await RunAsync(null, "verify-envelope", PathOf("c.txt"));
        await RunAsync(CommitteeToken, ["revoke", number, "--reason", "false-materials", "--decision-document", "大人社发〔2024〕40号", .. FraudFinding]);
        var after = await RunAsync(null, "verify-envelope", (string)issued["qrText"]!, "--json");

        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.StartsWith($"VALID: {number}", before.Out, StringComparison.Ordinal);
        Assert.Contains("[pass] record", before.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotValid, after.ExitCode);
        Assert.Equal("ENVELOPE_VERDICT_REVOKED", (string?)after.Json["verdict"]);
        Assert.False((bool)after.Json["offline"]!);
    }

    [Fact]
    public async Task KeysSave_ThenOffline_VerifiesWithoutTheServer()
    {
        var issued = await IssueAsync(person: 125);
        var keys = PathOf("keys.json");

        var save = await RunAsync(null, "keys", "save", keys);
        var offline = await CliRun.RunAsync("verify-envelope", (string)issued["qrText"]!, "--offline", "--keys", keys, "--server", "http://127.0.0.1:1");

        Assert.True(save.ExitCode == 0, save.ToString());
        Assert.StartsWith("Saved 1 key(s) to", save.Out, StringComparison.Ordinal);
        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.StartsWith($"VALID (offline): {(string)issued["number"]!}", offline.Out, StringComparison.Ordinal);
    }
}
