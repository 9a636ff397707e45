namespace Credentials.Server.Admin;

/// <summary>
/// What the exit code of <c>credentials-server</c> means; scripts rely on these, so never
/// renumber them. The table is printed by <c>credentials-server --help</c> and in docs/OPERATIONS.md.
/// </summary>
public static class ServerExitCodes
{
    /// <summary>Done; or the service stopped cleanly.</summary>
    public const int Ok = 0;

    /// <summary>
    /// The command ran and could not do it: a rule refused it (a principal exists already, a key
    /// is unknown, ...), a file could not be read, the store was unavailable; or the service
    /// could not start. The message says why.
    /// </summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong: unknown command or option, missing or malformed argument. Nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>The data directory does not exist or holds no store; nothing was created (<c>init</c> creates one).</summary>
    public const int NoStore = 3;

    public const string HelpText = """
        Exit codes:
          0  done (the service: stopped cleanly)
          1  failed: refused by a rule, a file unreadable, the store unavailable, or the service could
             not start (address in use, TLS files, cleartext on a non-loopback address); the message says why
          2  usage error: unknown command or option, missing or malformed argument; nothing was done
          3  no store: the data directory does not exist or holds no store; nothing was created
             (run 'init', or start the service once)
        """;
}
