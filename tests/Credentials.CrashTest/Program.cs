using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Credentials.CrashTest;
using Credentials.Grpc;
using Credentials.Grpc.Client;
using Credentials.Testing;
using Credentials.V1;

// Crash safety (issue 7): the real server under a concurrent issuing load (unary calls and
// batches from several clients) is killed with SIGKILL, restarted, and checked: every
// acknowledged certificate is there and unchanged, the ledger's Merkle tree recomputed from its
// events equals the stored one, and PRAGMA integrity_check says ok. Several rounds.
//
//   credentials-crash-test --server-dll PATH [--rounds 5] [--clients 8] [--seed N]

var options = ParseOptions(args);
if (!options.TryGetValue("server-dll", out var serverDll) || !File.Exists(serverDll))
{
    Console.Error.WriteLine("usage: credentials-crash-test --server-dll PATH/credentials-server.dll [--rounds 5] [--clients 8] [--seed N]");
    return 2;
}
var rounds = int.Parse(options.GetValueOrDefault("rounds", "5"), CultureInfo.InvariantCulture);
var clients = int.Parse(options.GetValueOrDefault("clients", "8"), CultureInfo.InvariantCulture);
var seed = int.Parse(options.GetValueOrDefault("seed", Environment.TickCount.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var random = new Random(seed);
var dataDir = Directory.CreateTempSubdirectory("credentials-crash-").FullName;
Console.WriteLine($"crash test: {rounds} rounds, {clients} clients, seed {seed}, data dir {dataDir}");

var acknowledged = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
var failures = new List<string>();
var passedRounds = 0;
try
{
    var server = await ServerProcess.StartAsync(serverDll, dataDir);
    await Admin.RunAsync(serverDll, dataDir, "committees", "seed");
    var token = Admin.TokenIn(await Admin.RunAsync(serverDll, dataDir, "principals", "add", "crash-committee", "--role", "committee", "--committee", "DL-S01"));
    var load = new IssuingLoad(token);
    for (var round = 1; round <= rounds; round++)
    {
        var loadTime = TimeSpan.FromMilliseconds(random.Next(1500, 4000));
        var before = acknowledged.Count;
        var stats = await load.RunUntilKilledAsync(server.Address, clients, loadTime, acknowledged, server.Kill);
        if (!load.Errors.IsEmpty)
        {
            failures.AddRange(load.Errors.Distinct().Select(e => $"round {round}: {e}"));
            Console.WriteLine("server output:\n" + server.Output());
            load.Errors.Clear();
        }
        server.Dispose();
        server = await ServerProcess.StartAsync(serverDll, dataDir);
        var check = await Verification.CheckAsync(server.Address, token, Path.Combine(dataDir, "credentials.db"), acknowledged);
        Console.WriteLine($"round {round}: killed after at least {loadTime.TotalMilliseconds:0} ms; acknowledged {acknowledged.Count - before} " +
            $"({stats.Unary} unary, {stats.Batches} batches), {stats.Failed} calls cut by the kill; {check}");
        if (acknowledged.Count == before)
        {
            failures.Add($"round {round}: nothing was acknowledged before the kill, so the round proves nothing");
        }
        if (check.Problems.Count == 0 && failures.Count == 0)
        {
            passedRounds++;
        }
        else
        {
            failures.AddRange(check.Problems.Select(p => $"round {round}: {p}"));
        }
    }
    server.Dispose();
}
catch (Exception e) when (e is InvalidOperationException or RpcException or IOException)
{
    failures.Add(e.Message);
}
finally
{
    Directory.Delete(dataDir, recursive: true);
}

Console.WriteLine($"crash test: {rounds} rounds, {acknowledged.Count} certificates acknowledged, " +
    $"{(failures.Count == 0 ? acknowledged.Count : acknowledged.Count - failures.Count(f => f.Contains("missing", StringComparison.Ordinal)))} found");
foreach (var failure in failures.Take(20))
{
    Console.WriteLine("FAIL " + failure);
}
Console.WriteLine($"crash: {passedRounds} passed, {rounds - passedRounds} failed");
return failures.Count == 0 ? 0 : 1;

static Dictionary<string, string> ParseOptions(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        options[args[i].TrimStart('-')] = args[i + 1];
    }
    return options;
}

/// <summary>Admin commands of the server binary, run as the operator would.</summary>
internal static class Admin
{
    public static async Task<string> RunAsync(string serverDll, string dataDir, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[serverDll, .. args, "--data-dir", dataDir])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{string.Join(' ', args)} failed: {error}");
    }

    public static string TokenIn(string output) =>
        output.Split(' ', '\n').Select(w => w.Trim()).FirstOrDefault(w => w.StartsWith("crd_", StringComparison.Ordinal))
        ?? throw new InvalidOperationException("No token in the output of principals add.");
}
