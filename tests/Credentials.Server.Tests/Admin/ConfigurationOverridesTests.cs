using Credentials.Server.Admin;

namespace Credentials.Server.Tests.Admin;

public sealed class ConfigurationOverridesTests
{
    [Fact]
    public void TrySplit_SettingsAndCommand_SeparatesThemInOrder()
    {
        var ok = ConfigurationOverrides.TrySplit(
            ["principals", "add", "--Tls:CertificatePath=a.crt", "x", "--role", "employer", "--Logging:LogLevel:Default", "Warning",
             "--RateLimits:Anonymous:Permits=0", "--allowinsecureremote=true", "--data-dir", "/d"],
            out var commandLine, out var settings, out var error);

        Assert.True(ok);
        Assert.Null(error);
        Assert.Equal(["principals", "add", "x", "--role", "employer", "--data-dir", "/d"], commandLine);
        Assert.Equal(["--Tls:CertificatePath=a.crt", "--Logging:LogLevel:Default=Warning", "--RateLimits:Anonymous:Permits=0",
            "--allowinsecureremote=true"], settings);
    }

    [Theory]
    [InlineData("--role=committee")]
    [InlineData("--frob")]
    [InlineData("--:x=1")]
    [InlineData("--Tls:=1")]
    [InlineData("-Tls:KeyPath=k")]
    public void TrySplit_NotASetting_StaysOnTheCommandLine(string token)
    {
        ConfigurationOverrides.TrySplit(["principals", "list", token], out var commandLine, out var settings, out _);

        Assert.Equal(["principals", "list", token], commandLine);
        Assert.Empty(settings);
    }

    [Fact]
    public void TrySplit_AfterDoubleDash_TakesNothing()
    {
        ConfigurationOverrides.TrySplit(["principals", "revoke", "--", "--Tls:KeyPath=k"], out var commandLine, out var settings, out _);

        Assert.Equal(["principals", "revoke", "--", "--Tls:KeyPath=k"], commandLine);
        Assert.Empty(settings);
    }

    [Fact]
    public void TrySplit_SettingWithoutValue_Fails()
    {
        var ok = ConfigurationOverrides.TrySplit(["--Tls:KeyPath"], out _, out _, out var error);

        Assert.False(ok);
        Assert.Contains("--Tls:KeyPath needs a value", error, StringComparison.Ordinal);
    }
}
