using System.CommandLine;
using Credentials.CrashTest;

// Crash safety (issue 7): the real server under a concurrent issuing load (unary calls and
// batches from several clients) is killed with SIGKILL, restarted, and checked: every
// acknowledged certificate is there and unchanged, the ledger's Merkle tree recomputed from its
// events equals the stored one, and PRAGMA integrity_check says ok. Several rounds.
// Exit codes: 0 passed, 1 a write was lost or changed (or a round proved nothing), 2 usage.

var serverDll = new Option<FileInfo>("--server-dll") { Description = "The Release build of the server, PATH/credentials-server.dll", Required = true }
    .AcceptExistingOnly();
var rounds = new Option<int>("--rounds") { Description = "Kill-and-restart rounds", DefaultValueFactory = _ => 5 };
var clients = new Option<int>("--clients") { Description = "Concurrent issuing clients, each on its own connection", DefaultValueFactory = _ => 8 };
var seed = new Option<int?>("--seed") { Description = "Seed of the random load times, to repeat a run (default: a new one, printed)" };
foreach (var count in new[] { rounds, clients })
{
    count.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() < 1)
        {
            result.AddError($"{count.Name} must be at least 1.");
        }
    });
}
var root = new RootCommand("credentials-crash-test: SIGKILL the real server under issuing load, restart it, and check that no acknowledged write was lost or changed.")
{
    serverDll, rounds, clients, seed,
};
root.SetAction(parse => CrashRounds.RunAsync(parse.GetValue(serverDll)!.FullName, parse.GetValue(rounds), parse.GetValue(clients),
    parse.GetValue(seed) ?? Environment.TickCount));

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"credentials-crash-test: {error.Message}");
    }
    Console.Error.WriteLine("usage: credentials-crash-test --server-dll PATH/credentials-server.dll [--rounds 5] [--clients 8] [--seed N] (see --help)");
    return 2;
}
return await parsed.InvokeAsync();
