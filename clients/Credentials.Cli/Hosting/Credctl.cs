using System.CommandLine;
using Credentials.Cli.Certificates;
using Credentials.Cli.Committees;
using Credentials.Cli.Holders;
using Credentials.Cli.Integrity;
using Credentials.Cli.Qr;
using Credentials.Cli.Verification;
using Grpc.Core;

namespace Credentials.Cli.Hosting;

/// <summary>The credctl command tree, and how a command's outcome becomes an exit code.</summary>
public static class Credctl
{
    private const string Description = """
        credctl: verify, issue and revoke electronic title certificates (电子职称证书) of a Credentials service;
        as a certificate holder, see your certificates and who looked them up, and share them with codes.

        Server and token come from --server/--token or CREDENTIALS_URL/CREDENTIALS_TOKEN
        (default server http://127.0.0.1:50051). Verification needs no token; 'me' and 'share' take a
        holder's JWT. Over https://, --ca trusts a private CA and --cert/--key present a client
        certificate (mutual TLS).
        """ + "\n\n" + ExitCodes.HelpText;

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = Build(console);
        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, cancellationToken);
    }

    internal static RootCommand Build(CliConsole console)
    {
        var options = new GlobalOptions();
        var root = new RootCommand(Description);
        options.AddTo(root);
        var handlers = new Handlers(options, console);
        root.Subcommands.Add(VerifyCommand.Create(handlers));
        root.Subcommands.Add(VerifyEnvelopeCommand.Create(handlers));
        root.Subcommands.Add(KeysCommand.Create(handlers));
        root.Subcommands.Add(IssueCommand.Create(handlers));
        root.Subcommands.Add(RevokeCommand.Create(handlers));
        root.Subcommands.Add(ReissueCommand.Create(handlers));
        root.Subcommands.Add(MisconductCommand.Create(handlers));
        root.Subcommands.Add(CommitteeCommand.Create(handlers));
        root.Subcommands.Add(ListCommand.Create(handlers));
        root.Subcommands.Add(GetCommand.Create(handlers));
        root.Subcommands.Add(QrCommand.Create(handlers));
        root.Subcommands.Add(MeCommand.Create(handlers));
        root.Subcommands.Add(ShareCommand.Create(handlers));
        return root;
    }

    /// <summary>Binds a command's handler so every failure maps to its documented exit code.</summary>
    internal sealed class Handlers(GlobalOptions options, CliConsole console)
    {
        public void Set(Command command, Func<CommandContext, Task<int>> handler) =>
            command.SetAction(async (parse, cancellationToken) =>
            {
                using var context = new CommandContext(parse, options, console, cancellationToken);
                try
                {
                    return await handler(context);
                }
                catch (UsageException e)
                {
                    return context.UsageError(e.Message);
                }
                catch (RpcException e)
                {
                    return context.CallFailed(e);
                }
            });
    }
}
