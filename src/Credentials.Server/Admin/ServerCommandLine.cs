using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Credentials.Server.Hosting;

namespace Credentials.Server.Admin;

/// <summary>Runs the service with these settings (as ServerHost reads them) until it stops; returns the exit code.</summary>
public delegate Task<int> ServiceRunner(string[] settings, TextWriter output, TextWriter error, CancellationToken cancellationToken);

/// <summary>
/// The command line of <c>credentials-server</c>: with no command it runs the service; otherwise
/// one of the admin commands. <c>--help</c> (<c>-h</c>, <c>help</c>) prints usage and starts nothing.
/// </summary>
public static class ServerCommandLine
{
    private const string Description = $"""
        credentials-server: the Credentials service (electronic professional-title certificates, 电子职称证书)
        and its administration.

        With no command it runs the service on --urls. Its first start on a new data directory creates
        the store (SQLite), the signing keys and the first authority, and prints the authority's token
        once. The commands below work on the data directory directly, service running or not; all but
        'init' and 'restore' refuse a data directory that holds no store.

        Settings come from appsettings.json, then CREDENTIALS_* environment variables (CREDENTIALS_DATADIR,
        CREDENTIALS_TLS__CERTIFICATEPATH, ...), then the command line as --Section:Key=value
        (--Tls:CertificatePath=server.crt, --Ledger:Origin=..., --Policy:MisconductRecordYears=3) or
        a top-level setting (--AllowInsecureRemote=true).

        {ServerExitCodes.HelpText}
        """;

    /// <summary>Parses and runs <paramref name="args"/>; <paramref name="runService"/> runs the service (default: the real one).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, ServiceRunner? runService = null,
        CancellationToken cancellationToken = default)
    {
        if (!ConfigurationOverrides.TrySplit(args, out var commandLine, out var settings, out var problem))
        {
            return UsageError(error, "credentials-server", [problem!]);
        }
        var root = Build(settings, runService ?? ServiceRun.RunAsync);
        var parse = root.Parse(commandLine);
        if (parse.Action is ParseErrorAction)
        {
            return UsageError(error, CommandPath(parse.CommandResult), parse.Errors.Select(e => e.Message));
        }
        // No termination handler of our own: the service's host handles SIGINT/SIGTERM with its graceful shutdown.
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    internal static Command Build(string[] settings, ServiceRunner runService)
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Where the service listens, e.g. https://0.0.0.0:50051 (default {ServerHost.DefaultUrl}; cleartext only on loopback)",
            HelpName = "URL",
        };
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "The data directory: database, keys/, secrets/ (default: DataDir of the settings, else ./data)",
            HelpName = "DIR",
            Recursive = true,
        };
        var root = new Command("credentials-server", Description) { new HelpOption(), new VersionOption(), urls, dataDir };
        root.SetAction((parse, cancellationToken) =>
        {
            string[] all = [.. settings, .. Switch("--urls", parse.GetValue(urls)), .. Switch("--data-dir", parse.GetValue(dataDir))];
            return runService(all, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken);
        });
        var handlers = new Handlers(parse => [.. settings, .. Switch("--data-dir", parse.GetValue(dataDir))]);
        foreach (var command in AdminCommands.Create(handlers))
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(Help(root));
        return root;
    }

    /// <summary><c>help [COMMAND...]</c>: the same as <c>COMMAND... --help</c>.</summary>
    private static Command Help(Command root)
    {
        var words = new Argument<string[]>("command") { Description = "The command to describe, e.g. principals add", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Print the usage of credentials-server or of one of its commands.") { words };
        help.SetAction(parse =>
        {
            var given = parse.GetValue(words) ?? [];
            Command? target = root;
            for (var i = 0; i < given.Length; i++)
            {
                target = target.Subcommands.FirstOrDefault(c => c.Name == given[i]);
                if (target is null)
                {
                    return UsageError(parse.InvocationConfiguration.Error, string.Join(' ', [root.Name, .. given[..i]]),
                        [$"There is no command '{given[i]}'."]);
                }
            }
            return root.Parse([.. given, "--help"]).Invoke(parse.InvocationConfiguration);
        });
        return help;
    }

    private static int UsageError(TextWriter error, string command, IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            error.WriteLine($"{command}: {message}");
        }
        error.WriteLine($"See '{command} --help'.");
        return ServerExitCodes.Usage;
    }

    /// <summary>"credentials-server principals add", for messages and the audit trail.</summary>
    internal static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult parent ? $"{CommandPath(parent)} {command.Command.Name}" : command.Command.Name;

    private static string[] Switch(string name, string? value) => value is null ? [] : [name, value];
}
