using System.CommandLine;
using Credentials.Clients;
using Credentials.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

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

    private const string Description = """
        credentials-sync: pulls the ledger of a Credentials server into the SQLite mirror FILE and verifies it:
        every checkpoint's signature by the log key, its consistency with the checkpoint verified before, and
        its root recomputed from the events. The token (platform role) comes from the CREDENTIALS_TOKEN
        environment variable or --token-file.

        Exit codes: 0 synced, 1 not synced this time (retry), 2 usage, 3 VERIFICATION FAILED (history tampered with)
        """;

    public static async Task<int> RunAsync(string[] args, string? environmentToken, TextWriter output, TextWriter error)
    {
        var server = new Option<string>("--server") { Description = "The service's address, http://host:port or https://host:port", Required = true };
        var mirror = new Option<string>("--mirror") { Description = "The SQLite mirror file (created on the first sync)", Required = true };
        var logKey = new Option<string?>("--log-key")
        {
            Description = "The log's verifier key as the operator publishes it (credentials-server ledger key); " +
                "without it the first sync pins the key the server reports",
        };
        var tokenFile = new Option<FileInfo?>("--token-file") { Description = $"A file holding the platform token (default: ${TokenVariable})" };
        var ca = new Option<FileInfo?>("--ca") { Description = "PEM file of the CA(s) to trust for the server's TLS certificate, instead of the system store" };
        var certificate = new Option<FileInfo?>("--cert") { Description = "PEM file of the client certificate to present (mutual TLS), for a token bound to it" };
        var key = new Option<FileInfo?>("--key") { Description = "PEM file of the --cert certificate's private key (default: read from the --cert file)" };
        var root = new RootCommand(Description) { server, mirror, logKey, tokenFile, ca, certificate, key };
        root.SetAction(async (parse, cancellationToken) =>
        {
            if (!Uri.TryCreate(parse.GetValue(server), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                return Fail(error, $"credentials-sync: --server: '{parse.GetValue(server)}' is not http://host:port or https://host:port", BadUsage);
            }
            string? token;
            SocketsHttpHandler handler;
            try
            {
                token = parse.GetValue(tokenFile) is { } file ? (await File.ReadAllTextAsync(file.FullName, cancellationToken)).Trim() : environmentToken;
                handler = ClientTls.Handler(address, parse.GetValue(ca), parse.GetValue(certificate), parse.GetValue(key));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ClientTls.OptionException)
            {
                return Fail(error, $"credentials-sync: {e.Message}", BadUsage);
            }
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
            var client = new LedgerService.LedgerServiceClient(string.IsNullOrEmpty(token) ? channel.CreateCallInvoker() : channel.Intercept(headers =>
            {
                headers.Add("authorization", "Bearer " + token);
                return headers;
            }));
            return await SyncAsync(new GrpcLedgerFeed(client), address, parse.GetValue(mirror)!, parse.GetValue(logKey), output, error, cancellationToken);
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync($"credentials-sync: {problem.Message}");
            }
            return Fail(error, "usage: credentials-sync --server URL --mirror FILE [--log-key KEY] [--token-file FILE] [--ca FILE] [--cert FILE [--key FILE]] (see --help)",
                BadUsage);
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static async Task<int> SyncAsync(ILedgerFeed feed, Uri address, string path, string? logKey, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        using var mirror = new Mirror(path);
        try
        {
            var result = await new LedgerSync(feed, mirror, TimeProvider.System).RunAsync(logKey, cancellationToken);
            if (result.PinnedNow)
            {
                await output.WriteLineAsync($"pinned log key {result.VerifierKey}" +
                    (logKey is not null ? "" : " (trust on first use: compare it with the key the operator publishes)"));
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
        catch (RpcException e) when (e.Status.DebugException is { } cause)
        {
            // Failed in the client (connection, TLS), not answered by the server.
            return Fail(error, $"credentials-sync: cannot reach {address}: {e.Status.Detail} {cause.Message}", NotSynced);
        }
        catch (RpcException e)
        {
            return Fail(error, $"credentials-sync: the server refused: {e.StatusCode}: {e.Status.Detail}", NotSynced);
        }
    }

    private static int Fail(TextWriter error, string message, int code)
    {
        error.WriteLine(message);
        return code;
    }
}
