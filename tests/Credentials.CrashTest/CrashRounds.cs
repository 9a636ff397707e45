using System.Collections.Concurrent;
using Grpc.Core;

namespace Credentials.CrashTest;

/// <summary>
/// The rounds of the crash test: load, SIGKILL, restart, check. Prints a line per round and the closing
/// "crash: N passed, N failed"; returns the exit code (0 when nothing acknowledged was lost or changed).
/// </summary>
internal static class CrashRounds
{
    public static async Task<int> RunAsync(string serverDll, int rounds, int clients, int seed)
    {
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
    }
}
