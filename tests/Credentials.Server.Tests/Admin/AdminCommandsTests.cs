using Credentials.Core.Principals;
using Credentials.Server.Admin;
using Credentials.Store;
using Credentials.Testing;

namespace Credentials.Server.Tests.Admin;

/// <summary>
/// The admin commands on a data directory, in-process with their output captured: nothing but
/// <c>init</c> creates a store, and a token is printed once, when it is made.
/// </summary>
public sealed class AdminCommandsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DataDir => Path.Combine(_directory.Path, "data");

    public void Dispose() => _directory.Dispose();

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await ServerCommandLine.RunAsync(args, output, error, (_, _, _, _) => throw new InvalidOperationException("The service started."));
        return (code, output.ToString(), error.ToString());
    }

    private static string[] Tokens(string output) =>
        output.Split('\n').Select(l => l.Trim()).Where(AccessToken.IsWellFormed).ToArray();

    public static TheoryData<string[]> StoreCommands() => new()
    {
        { ["principals", "add", "hr-office", "--role", "employer"] },
        { ["principals", "list"] },
        { ["principals", "revoke", "hr-office"] },
        { ["principals", "bind-certificate", "hr-office", new string('a', 64)] },
        { ["principals", "unbind-certificate", "hr-office"] },
        { ["committees", "seed"] },
        { ["keys", "list"] },
        { ["keys", "rotate"] },
        { ["keys", "compromise", "sm2-0123456789abcdef", "--reason", "leaked"] },
        { ["ledger", "key"] },
        { ["ledger", "checkpoint"] },
        { ["holders", "token", "--name", "张伟", "--document", "21020219800101001X"] },
        { ["backup", "{tmp}/copy.db"] },
    };

    [Theory]
    [MemberData(nameof(StoreCommands))]
    public async Task StoreCommand_MissingDataDirectory_RefusesAndCreatesNothing(string[] command)
    {
        var (code, output, error) = await RunAsync([.. command.Select(a => a.Replace("{tmp}", _directory.Path, StringComparison.Ordinal)), "--data-dir", DataDir]);

        Assert.Equal(ServerExitCodes.NoStore, code);
        Assert.Contains($"{DataDir} does not exist", error, StringComparison.Ordinal);
        Assert.Contains("init", error, StringComparison.Ordinal);
        Assert.Empty(output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Theory]
    [MemberData(nameof(StoreCommands))]
    public async Task StoreCommand_DirectoryWithoutStore_RefusesAndCreatesNothing(string[] command)
    {
        Directory.CreateDirectory(DataDir);

        var (code, _, error) = await RunAsync([.. command.Select(a => a.Replace("{tmp}", _directory.Path, StringComparison.Ordinal)), "--data-dir", DataDir]);

        Assert.Equal(ServerExitCodes.NoStore, code);
        Assert.Contains($"{DataDir} holds no store", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(DataDir));
    }

    [Fact]
    public async Task StoreCommand_DataDirectoryFromTheSettings_IsChecked()
    {
        // DataDir from the settings (here as a command-line setting; CREDENTIALS_DATADIR works the same way).
        var (code, _, error) = await RunAsync("principals", "list", $"--DataDir={DataDir}");

        Assert.Equal(ServerExitCodes.NoStore, code);
        Assert.Contains(DataDir, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDir));
    }

    [Fact]
    public async Task Init_MissingDataDirectory_CreatesTheStoreAndPrintsOneToken()
    {
        var (code, output, _) = await RunAsync("init", "--data-dir", DataDir);
        var list = await RunAsync("principals", "list", "--data-dir", DataDir);

        Assert.Equal(ServerExitCodes.Ok, code);
        Assert.True(File.Exists(Path.Combine(DataDir, Database.FileName)));
        Assert.Contains("Authority token (shown once", output, StringComparison.Ordinal);
        var token = Assert.Single(Tokens(output));
        Assert.Equal(ServerExitCodes.Ok, list.Code);
        Assert.Contains("authority", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_Twice_RefusesAndPrintsNoToken()
    {
        await RunAsync("init", "--data-dir", DataDir);

        var (code, output, error) = await RunAsync("init", "--data-dir", DataDir);

        Assert.Equal(ServerExitCodes.Failed, code);
        Assert.Contains("initialised already", error, StringComparison.Ordinal);
        Assert.Empty(Tokens(output + error));
    }

    [Fact]
    public async Task CommitteesSeed_DefaultWindow_IsThreeYearsAndALongerOneIsRefused()
    {
        await RunAsync("init", "--data-dir", DataDir);

        var tooLong = await RunAsync("committees", "seed", "--until", "2027-01-01", "--data-dir", DataDir);
        var seeded = await RunAsync("committees", "seed", "--data-dir", DataDir);

        Assert.Equal(ServerExitCodes.Failed, tooLong.Code);
        Assert.Contains("at most 3 years", tooLong.Error, StringComparison.Ordinal);
        Assert.Equal(ServerExitCodes.Ok, seeded.Code);
        Assert.Contains("Seeded 30 committees", seeded.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrincipalsAdd_PrintsItsTokenOnce()
    {
        await RunAsync("init", "--data-dir", DataDir);

        var added = await RunAsync("principals", "add", "dl-s01", "--role", "platform", "--data-dir", DataDir);
        var again = await RunAsync("principals", "add", "dl-s01", "--role", "platform", "--data-dir", DataDir);
        var list = await RunAsync("principals", "list", "--data-dir", DataDir);

        Assert.Equal(ServerExitCodes.Ok, added.Code);
        var token = Assert.Single(Tokens(added.Output));
        Assert.Equal(ServerExitCodes.Failed, again.Code);
        Assert.Contains("exists already", again.Error, StringComparison.Ordinal);
        Assert.Empty(Tokens(again.Output + again.Error));
        Assert.DoesNotContain(token, list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LedgerKey_PrintsTheVerifierKeyAlone()
    {
        await RunAsync("init", "--data-dir", DataDir);

        var (code, output, _) = await RunAsync("ledger", "key", "--data-dir", DataDir);

        // The one line .ci/run passes to credentials-sync --log-key: name+hexkeyid+base64.
        Assert.Equal(ServerExitCodes.Ok, code);
        Assert.Matches(@"^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*\n$", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Restore_NewDataDirectory_CreatesIt()
    {
        var source = Path.Combine(_directory.Path, "source");
        var backup = Path.Combine(_directory.Path, "copy.db");
        await RunAsync("init", "--data-dir", source);
        await RunAsync("backup", backup, "--data-dir", source);

        var (code, output, _) = await RunAsync("restore", backup, "--data-dir", DataDir);
        var list = await RunAsync("principals", "list", "--data-dir", DataDir);

        Assert.Equal(ServerExitCodes.Ok, code);
        Assert.Contains("has no holder key", output, StringComparison.Ordinal);
        Assert.Equal(ServerExitCodes.Ok, list.Code);
        Assert.Contains("authority", list.Output, StringComparison.Ordinal);
    }
}
