using System.CommandLine;
using System.Diagnostics;
using Credentials.Core.Ledger;
using Credentials.Store;
using Credentials.Store.Ledger;

namespace Credentials.Bench;

/// <summary>
/// Proof latency through the real store at --leaves leaves (10 million by default): the nodes are bulk-loaded
/// (LedgerBulkLoad), then each sample does what GetInclusionProof / GetConsistencyProof do: a pooled read
/// connection, the size query, one batch fetch of the plan's nodes, the assembly. Every 100th proof is verified.
/// </summary>
internal static class LedgerProofBenchmark
{
    public static Command Create()
    {
        var leaves = BenchOptions.Count("--leaves", 10000000, "Leaves bulk-loaded into the store", minimum: 2);
        var samples = BenchOptions.Count("--samples", 20000, "Proofs of each kind");
        var command = new Command("ledger-proofs", "Inclusion and consistency proof latency through the store") { leaves, samples };
        command.SetAction(parse => RunAsync(parse.GetValue(leaves), parse.GetValue(samples)));
        return command;
    }

    private static Task<int> RunAsync(int leaves, int samples)
    {
        var dataDir = Directory.CreateTempSubdirectory("credentials-bench-proofs-").FullName;
        try
        {
            var database = Database.Open(dataDir);
            var clock = Stopwatch.StartNew();
            var root = LedgerBulkLoad.Load(database.Path, leaves, withEvents: false,
                done => Console.Error.Write($"\rloading {done:N0} / {leaves:N0} leaves"));
            Console.Error.WriteLine();
            Console.WriteLine($"loaded {leaves:N0} leaves in {clock.Elapsed.TotalSeconds:F0} s; database {new FileInfo(database.Path).Length / (1 << 20):N0} MiB");

            var random = new Random(7);
            var failures = Measure("inclusion", database, samples, connection =>
            {
                var m = random.NextInt64(0, leaves);
                var proof = LedgerRepository.Run(connection, NodePlan.Inclusion(m, LedgerRepository.Size(connection)));
                return () => ProofVerifier.VerifyInclusion(m, leaves, MerkleNodeRepository.Fetch(connection, [new NodeId(0, m)])[new NodeId(0, m)], proof, root);
            });
            failures += Measure("consistency", database, samples, connection =>
            {
                var m = random.NextInt64(1, leaves);
                var proof = LedgerRepository.Run(connection, NodePlan.Consistency(m, LedgerRepository.Size(connection)));
                return () => ProofVerifier.VerifyConsistency(m, leaves, LedgerRepository.Run(connection, NodePlan.Root(m))[0], root, proof);
            });
            return Task.FromResult(failures == 0 ? 0 : 1);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static int Measure(string kind, Database database, int samples, Func<Microsoft.Data.Sqlite.SqliteConnection, Func<bool>> proofOf)
    {
        var latencies = new List<double>(samples);
        var failures = 0;
        for (var i = -1000; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var connection = database.OpenReader();
            var verify = proofOf(connection);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i < 0)
            {
                continue;
            }
            latencies.Add(elapsed);
            if (i % 100 == 0 && !verify())
            {
                failures++;
            }
        }
        Console.WriteLine($"{kind,-11} proof at {LedgerStatisticsSize(database):N0} leaves: {LatencyStatistics.Summary(latencies, "ms")}; " +
            $"{failures} of {(samples + 99) / 100} spot checks failed");
        return failures;
    }

    private static long LedgerStatisticsSize(Database database)
    {
        using var connection = database.OpenReader();
        return LedgerRepository.Size(connection);
    }
}
