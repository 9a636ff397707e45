using System.CommandLine;
using Credentials.Server.Admin;
using Credentials.Server.Hosting;
using Credentials.Testing;

namespace Credentials.Server.Tests.Admin;

/// <summary>
/// The command line of <c>credentials-server</c>, in-process with its output captured and the
/// service replaced by a recorder: help starts nothing, usage errors exit 2, and with no command
/// the service gets every setting given.
/// </summary>
public sealed class ServerCommandLineTests
{
    private readonly List<string[]> _serviceRuns = [];
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private Task<int> RunAsync(params string[] args) =>
        ServerCommandLine.RunAsync(args, _output, _error, (settings, _, _, _) =>
        {
            _serviceRuns.Add(settings);
            return Task.FromResult(ServerExitCodes.Ok);
        });

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Help_PrintsUsage_StartsNothing(string help)
    {
        var code = await RunAsync(help);

        Assert.Equal(ServerExitCodes.Ok, code);
        Assert.Empty(_serviceRuns);
        Assert.Contains("Usage:", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--data-dir", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("principals", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Exit codes:", _output.ToString(), StringComparison.Ordinal);
        Assert.Empty(_error.ToString());
    }

    [Theory]
    [InlineData("principals", "add", "--help")]
    [InlineData("principals", "add", "-h")]
    [InlineData("help", "principals", "add")]
    public async Task Help_OfACommand_ListsItsOptions(params string[] args)
    {
        var code = await RunAsync(args);

        Assert.Equal(ServerExitCodes.Ok, code);
        Assert.Empty(_serviceRuns);
        Assert.Contains("credentials-server principals add <name>", _output.ToString(), StringComparison.Ordinal);
        foreach (var option in new[] { "--role", "--committee", "--certificate", "--data-dir" })
        {
            Assert.Contains(option, _output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_OfEveryCommand_PrintsItsUsage()
    {
        var commands = Leaves(ServerCommandLine.Build([], (_, _, _, _) => throw new InvalidOperationException("started")), []).ToList();

        foreach (var path in commands)
        {
            _output.GetStringBuilder().Clear();
            var code = await RunAsync([.. path, "--help"]);

            Assert.Equal(ServerExitCodes.Ok, code);
            Assert.Contains($"Usage:\n  credentials-server {string.Join(' ', path)}", _output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
        Assert.Empty(_serviceRuns);
        // Every admin command of the documentation is there.
        Assert.Equal(
            ["backup", "committees seed", "help", "init", "keys compromise", "keys list", "keys rotate", "ledger checkpoint", "ledger key",
             "principals add", "principals bind-certificate", "principals list", "principals revoke", "principals unbind-certificate", "restore"],
            commands.Select(c => string.Join(' ', c)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task NoCommand_RunsTheService_WithEverySetting()
    {
        var code = await RunAsync("--urls", "http://127.0.0.1:0", "--data-dir", "/srv/credentials", "--Tls:CertificatePath=server.crt",
            "--Policy:MisconductRecordYears", "5", "--AllowInsecureRemote=true");

        var settings = Assert.Single(_serviceRuns);
        var (options, configuration) = ServerHost.LoadSettings(settings);
        Assert.Equal(ServerExitCodes.Ok, code);
        Assert.Equal("/srv/credentials", options.DataDir);
        Assert.Equal("server.crt", options.Tls.CertificatePath);
        Assert.True(options.AllowInsecureRemote);
        Assert.Equal("5", configuration["Policy:MisconductRecordYears"]);
        Assert.Equal("http://127.0.0.1:0", configuration["urls"]);
    }

    [Fact]
    public async Task AdminCommand_Settings_ReachItsConfiguration()
    {
        using var directory = new TempDirectory();
        var data = Path.Combine(directory.Path, "data");
        await RunAsync("init", "--data-dir", data, "--Ledger:Origin=ci.example/ledger");
        _output.GetStringBuilder().Clear();

        var code = await RunAsync("ledger", "key", "--Ledger:Origin", "ci.example/ledger", "--data-dir", data);

        Assert.Equal(ServerExitCodes.Ok, code);
        Assert.StartsWith("ci.example/ledger+", _output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frob")]
    [InlineData("--frob")]
    [InlineData("principals", "list", "--frob")]
    [InlineData("principals", "list", "--role=committee")]
    [InlineData("principals", "frob")]
    [InlineData("principals")]
    [InlineData("principals", "add", "hr-office")]
    [InlineData("principals", "add", "hr-office", "--role", "boss")]
    [InlineData("principals", "revoke")]
    [InlineData("keys", "compromise", "sm2-0123456789abcdef", "--reason", "leaked", "--at", "yesterday")]
    [InlineData("committees", "seed", "--from", "2024-13-01")]
    [InlineData("backup", "a.db", "b.db")]
    [InlineData("help", "frob")]
    [InlineData("--Tls:CertificatePath")]
    public async Task WrongCommandLine_IsAUsageError_DoesNothing(params string[] args)
    {
        using var directory = new TempDirectory();
        var data = Path.Combine(directory.Path, "data");

        var code = await RunAsync(["--data-dir", data, .. args]);

        Assert.Equal(ServerExitCodes.Usage, code);
        Assert.Empty(_serviceRuns);
        Assert.False(Directory.Exists(data));
        Assert.Contains("--help", _error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_output.ToString());
    }

    [Fact]
    public async Task UnknownCommand_NamesIt()
    {
        var code = await RunAsync("principal", "list");

        Assert.Equal(ServerExitCodes.Usage, code);
        Assert.Contains("'principal'", _error.ToString(), StringComparison.Ordinal);
    }

    private static IEnumerable<string[]> Leaves(Command command, string[] path) =>
        command.Subcommands.Count == 0
            ? [path]
            : command.Subcommands.SelectMany(c => Leaves(c, [.. path, c.Name]));
}
