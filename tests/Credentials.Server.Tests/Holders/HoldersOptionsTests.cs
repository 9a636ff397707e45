using Credentials.Server.Holders;
using Credentials.V1;
using Grpc.Core;

namespace Credentials.Server.Tests.Holders;

/// <summary>The Holders settings are checked at start-up, and without them a holder's JWT is refused with a reason.</summary>
public sealed class HoldersOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreFineAndOff()
    {
        var options = new HoldersOptions();

        Assert.Empty(options.Validate());
        Assert.False(options.Enabled);
    }

    [Theory]
    [InlineData("https://login.example", "", "", "exactly one of MetadataAddress and JwksPath")]
    [InlineData("https://login.example", "https://login.example/.well-known/openid-configuration", "/tmp/jwks.json", "exactly one of MetadataAddress and JwksPath")]
    [InlineData("https://login.example", "http://login.example/.well-known/openid-configuration", "", "Holders:MetadataAddress")]
    [InlineData("https://login.example", "", "/nonexistent/jwks.json", "Holders:JwksPath")]
    [InlineData("", "", "/tmp/jwks.json", "Holders:Issuer must be set")]
    public void Validate_InconsistentProvider_NamesTheSetting(string issuer, string metadata, string jwks, string expected)
    {
        var options = new HoldersOptions { Issuer = issuer, MetadataAddress = metadata, JwksPath = jwks };

        Assert.Contains(options.Validate(), problem => problem.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ClockSkewOverTenMinutes_IsRefused()
    {
        var options = new HoldersOptions { TrustLocalTokens = true, ClockSkew = TimeSpan.FromMinutes(11) };

        Assert.Contains(options.Validate(), problem => problem.Contains("Holders:ClockSkew", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_JwksFileOfTheTestProvider_IsAccepted()
    {
        var options = new HoldersOptions { Issuer = TestHolders.Issuer, JwksPath = TestHolders.ServerSettings[2]["--Holders:JwksPath=".Length..] };

        Assert.Empty(options.Validate());
        Assert.True(options.Enabled);
    }

    [Fact]
    public async Task Start_WithBadHolderSettings_FailsNamingThem()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(null, "--Holders:JwksPath=/nonexistent/jwks.json"));

        Assert.Contains("Holders:JwksPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HolderJwt_OnAServerWithoutHolderSignIn_IsUnauthenticatedSayingSo()
    {
        await using var server = await TestServer.StartAsync(null, "--Holders:Issuer=", "--Holders:JwksPath=");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Holders(server.HolderToken(Certificates.CertificateFixtures.IdNumber(1))).GetMeAsync(new GetMeRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("Holder sign-in is not configured on this server: a JWT is not accepted.", error.Status.Detail);
    }
}
