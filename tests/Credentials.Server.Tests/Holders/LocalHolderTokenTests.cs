using Credentials.Server.Admin;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Holders;

/// <summary>
/// <c>credentials-server holders token</c>: a holder token signed with the store's local key, which the service
/// accepts only when Holders:TrustLocalTokens is on.
/// </summary>
public sealed class LocalHolderTokenTests
{
    private static async Task<(int Code, string Output, string Error)> TokenAsync(TestServer server, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await ServerCommandLine.RunAsync(["holders", "token", .. args, "--data-dir", server.DataDir], output, error,
            (_, _, _, _) => throw new InvalidOperationException("The service started."));
        return (code, output.ToString().Trim(), error.ToString());
    }

    [Fact]
    public async Task HoldersToken_TrustedByTheServer_SignsInAsTheHolderOfTheNumber()
    {
        await using var server = await TestServer.StartAsync(DateTimeOffset.UtcNow, "--Holders:TrustLocalTokens=true");
        await server.SeedDalianCommitteesAsync();
        var certificate = await server.IssueAsync(Spec(1));

        var (code, token, error) = await TokenAsync(server, "--name", "张伟", "--document", IdNumber(1), "--hours", "2",
            "--Holders:TrustLocalTokens=true", "--Holders:Audience=" + TestHolders.Audience);
        var me = await server.Holders(token).GetMeAsync(new GetMeRequest());
        var mine = await server.Holders(token).ListMyCertificatesAsync(new ListMyCertificatesRequest());

        Assert.Equal(ServerExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Equal(2, token.Count(c => c == '.'));
        Assert.Equal("张伟", me.Holder.Name);
        Assert.InRange(me.TokenExpireTime.ToDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2));
        Assert.Equal([certificate.Number], mine.Certificates.Select(c => c.Number));
    }

    [Fact]
    public async Task HoldersToken_ServerThatDoesNotTrustLocalTokens_RefusesIt()
    {
        await using var server = await TestServer.StartAsync(DateTimeOffset.UtcNow);

        var (code, token, error) = await TokenAsync(server, "--name", "张伟", "--document", IdNumber(1), "--Holders:Audience=" + TestHolders.Audience);
        var refused = await Assert.ThrowsAsync<RpcException>(() => server.Holders(token).GetMeAsync(new GetMeRequest()).ResponseAsync);

        Assert.Equal(ServerExitCodes.Ok, code);
        Assert.Contains("Holders:TrustLocalTokens=true", error, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("The holder token's issuer is not trusted.", refused.Status.Detail);
    }

    [Theory]
    [InlineData("--hours", "25")]
    [InlineData("--hours", "0")]
    [InlineData("--name", "")]
    public async Task HoldersToken_BadOption_FailsNamingIt(string option, string value)
    {
        await using var server = await TestServer.StartAsync(DateTimeOffset.UtcNow);
        string[] args = ["--name", "张伟", "--document", IdNumber(1)];
        args = option == "--name" ? ["--name", value, "--document", IdNumber(1)] : [.. args, option, value];

        var (code, output, error) = await TokenAsync(server, args);

        Assert.Equal(ServerExitCodes.Failed, code);
        Assert.Empty(output);
        Assert.Contains(option, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HoldersToken_MistypedIdNumber_FailsWithoutRepeatingIt()
    {
        await using var server = await TestServer.StartAsync(DateTimeOffset.UtcNow);
        var number = IdNumber(1);
        var mistyped = number[..17] + (number[17] == '0' ? '1' : '0');

        var (code, output, error) = await TokenAsync(server, "--name", "张伟", "--document", mistyped);

        Assert.Equal(ServerExitCodes.Failed, code);
        Assert.Empty(output);
        Assert.Contains("--document", error, StringComparison.Ordinal);
        Assert.DoesNotContain(mistyped, error, StringComparison.Ordinal);
    }
}
