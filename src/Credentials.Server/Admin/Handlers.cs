using System.CommandLine;
using System.CommandLine.Parsing;
using Credentials.Core.Validation;
using Credentials.Store;
using Credentials.Store.Audit;

namespace Credentials.Server.Admin;

/// <summary>Whether an admin command needs a store that exists, or may create one.</summary>
internal enum StoreUse
{
    /// <summary>Refused (exit 3) when the data directory holds no store: nothing is created.</summary>
    Existing,

    /// <summary>Creates the data directory and the store when they are missing (init, restore).</summary>
    Creates,
}

/// <summary>Binds an admin command's handler: its settings, the store check, its audit entry, and failures mapped to exit codes.</summary>
internal sealed class Handlers(Func<ParseResult, string[]> settings)
{
    public void Set(Command command, StoreUse store, Func<AdminContext, Task<int>> handler) =>
        command.SetAction(async (parse, _) =>
        {
            var by = AuditEntry.Local(Environment.UserName is { Length: > 0 } user ? $"admin:{user}" : "admin", AuditedCommand(parse));
            var context = new AdminContext(parse, settings(parse), by);
            if (store == StoreUse.Existing && context.MissingStore() is { } missing)
            {
                return context.Print(missing, ServerExitCodes.NoStore);
            }
            try
            {
                return await handler(context);
            }
            catch (Exception e) when (IsFailure(e))
            {
                return context.Print($"credentials-server: {e.Message}", ServerExitCodes.Failed);
            }
        });

    /// <summary>What a command can fail with that is the operator's to fix (the message says how), rather than a bug.</summary>
    internal static bool IsFailure(Exception e) =>
        e is DomainException or FormatException or IOException or UnauthorizedAccessException or StoreUnavailableException
            or InvalidDataException or System.Security.Cryptography.CryptographicException;

    /// <summary>The command and its arguments, without option values (they may hold secrets): "credentials-server principals add hr-office".</summary>
    private static string AuditedCommand(ParseResult parse) =>
        string.Join(' ', [ServerCommandLine.CommandPath(parse.CommandResult),
            .. parse.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value)]);
}
