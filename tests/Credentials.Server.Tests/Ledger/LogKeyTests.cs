using Credentials.Server.Ledger;
using Credentials.Store;
using Credentials.Testing;

namespace Credentials.Server.Tests.Ledger;

public sealed class LogKeyTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private LogKey Key(string origin = "credentials.example.cn/ledger", string? name = null) =>
        new(DataDirectory.Prepare(_directory.Path), new LedgerOptions { Origin = origin, KeyName = name });

    [Fact]
    public void Signer_SecondStart_LoadsTheSameKeyFromAnOwnerOnlyFile()
    {
        var first = Key();
        first.EnsureCreated();

        var again = Key();

        Assert.Equal(first.VerifierKey, again.VerifierKey);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.Path));
        Assert.StartsWith("PRIVATE+KEY+credentials.example.cn/ledger+", File.ReadAllText(first.Path), StringComparison.Ordinal);
    }

    [Fact]
    public void Signer_KeyNameChangedAfterFirstStart_RefusesWithoutQuotingTheKey()
    {
        Key().EnsureCreated();

        var error = Assert.Throws<InvalidOperationException>(() => Key(name: "other.example/log").EnsureCreated());

        Assert.Contains("named 'credentials.example.cn/ledger'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signer_KeyFileReadableByOthers_Refused()
    {
        var key = Key();
        key.EnsureCreated();
        File.SetUnixFileMode(key.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        Assert.Throws<InvalidOperationException>(() => Key().EnsureCreated());
    }

    [Theory]
    [InlineData("")]
    [InlineData("two\nlines")]
    public void Constructor_OriginThatCannotBeACheckpointLine_Refused(string origin) =>
        Assert.Throws<ArgumentException>(() => Key(origin));

    [Fact]
    public void Signer_KeyNameWithSpace_Refused() =>
        Assert.Throws<ArgumentException>(() => Key(name: "credentials example").EnsureCreated());
}
