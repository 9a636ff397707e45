using Credentials.Grpc;
using Credentials.Grpc.Client;

namespace Credentials.Sync;

/// <summary>The command line of credentials-sync, and its exit codes.</summary>
public static class SyncCommand
{
    public const string TokenVariable = "CREDENTIALS_TOKEN";

    /// <summary>Synced and verified.</summary>
    public const int Synced = 0;

    /// <summary>Could not sync this time (network, refused, interrupted): nothing unverified was kept as verified; run again.</summary>
    public const int NotSynced = 1;

    public const int BadUsage = 2;

    /// <summary>The log's history does not verify: stop and investigate.</summary>
    public const int VerificationFailed = 3;

    public const string Usage = """
        usage: credentials-sync --server URL --mirror FILE [--log-key KEY] [--token-file FILE]
          Pulls the ledger of a Credentials server into the SQLite mirror FILE and verifies it: every
          checkpoint's signature by the log key, its consistency with the checkpoint verified before, and
          its root recomputed from the events. The token (platform role) comes from the CREDENTIALS_TOKEN
          environment variable or --token-file. KEY is the log's verifier key as the operator publishes it
          (credentials-server ledger key); without it the first sync pins the key the server reports.
        exit codes: 0 synced, 1 not synced this time (retry), 2 usage, 3 VERIFICATION FAILED (history tampered with)
        """;

    public static async Task<int> RunAsync(string[] args, string? environmentToken, TextWriter output, TextWriter error)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length || args[i] is not ("--server" or "--mirror" or "--log-key" or "--token-file"))
            {
                return Fail(error, Usage, BadUsage);
            }
            options[args[i][2..]] = args[++i];
        }
        if (!options.TryGetValue("server", out var server) || !options.TryGetValue("mirror", out var path)
            || !Uri.TryCreate(server, UriKind.Absolute, out var address))
        {
            return Fail(error, Usage, BadUsage);
        }
        var token = options.TryGetValue("token-file", out var tokenFile) ? (await File.ReadAllTextAsync(tokenFile)).Trim() : environmentToken;

        using var channel = GrpcChannel.ForAddress(address);
        using var mirror = new Mirror(path);
        try
        {
            var result = await new LedgerSync(new GrpcLedgerFeed(channel, token), mirror, TimeProvider.System).RunAsync(options.GetValueOrDefault("log-key"));
            if (result.PinnedNow)
            {
                await output.WriteLineAsync($"pinned log key {result.VerifierKey}" +
                    (options.ContainsKey("log-key") ? "" : " (trust on first use: compare it with the key the operator publishes)"));
            }
            await output.WriteLineAsync($"synced {result.PreviousSize} -> {result.TreeSize} leaves ({result.EventsReceived} new events); " +
                "checkpoint signature, consistency and root verified");
            return Synced;
        }
        catch (LedgerVerificationException e)
        {
            return Fail(error, $"credentials-sync: VERIFICATION FAILED: {e.Message}", VerificationFailed);
        }
        catch (SyncInterruptedException e)
        {
            return Fail(error, $"credentials-sync: interrupted: {e.Message}", NotSynced);
        }
        catch (RpcException e)
        {
            return Fail(error, $"credentials-sync: the server refused: {e.StatusCode}: {e.Status.Detail}", NotSynced);
        }
        catch (HttpRequestException e)
        {
            return Fail(error, $"credentials-sync: cannot reach {address}: {e.Message}", NotSynced);
        }
    }

    private static int Fail(TextWriter error, string message, int code)
    {
        error.WriteLine(message);
        return code;
    }
}
