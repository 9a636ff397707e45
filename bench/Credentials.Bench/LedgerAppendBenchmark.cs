using System.CommandLine;
using System.Diagnostics;
using Credentials.Core.Ledger;
using Credentials.Store;
using Credentials.Store.Ledger;
using Credentials.Store.Writing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Credentials.Bench;

/// <summary>
/// Appending ledger events through the real store: StoreWriter units that call tx.Ledger.Append (leaf hash, event row,
/// new node rows, all in the group's transaction) on a ledger preloaded to --preload leaves.
/// Reports the append itself (timed inside the transaction), durable batches, and durable single-event units
/// from concurrent callers (group commit). Checks the root against the stored events at the end.
/// </summary>
internal static class LedgerAppendBenchmark
{
    public static Command Create()
    {
        var preload = BenchOptions.Count("--preload", 1000000, "Leaves bulk-loaded before measuring (nodes only)", minimum: 0);
        var batches = BenchOptions.Count("--batches", 40, "Durable units of many appends");
        var batchSize = BenchOptions.Count("--batch-size", 500, "Appends per batch");
        var units = BenchOptions.Count("--units", 4000, "Durable single-event units from concurrent callers");
        var callers = BenchOptions.Count("--callers", 64, "Concurrent callers of single-event units");
        var command = new Command("ledger-append", "Ledger append through the store: batches, then single events with group commit")
        {
            preload, batches, batchSize, units, callers,
        };
        command.SetAction(parse => RunAsync(parse.GetValue(preload), parse.GetValue(batches), parse.GetValue(batchSize), parse.GetValue(units), parse.GetValue(callers)));
        return command;
    }

    private static async Task<int> RunAsync(int preload, int batches, int batchSize, int units, int callers)
    {
        var dataDir = Directory.CreateTempSubdirectory("credentials-bench-ledger-").FullName;
        try
        {
            var database = Database.Open(dataDir);
            var loadClock = Stopwatch.StartNew();
            if (preload > 0)
            {
                LedgerBulkLoad.Load(database.Path, preload, withEvents: false);
            }
            Console.WriteLine($"preloaded {preload:N0} leaves (nodes only) in {loadClock.Elapsed.TotalSeconds:F1} s; data dir {dataDir}");
            await using var writer = new StoreWriter(database, TimeProvider.System, NullLogger<StoreWriter>.Instance);

            // Batches: many appends per unit; the append itself is timed inside the transaction.
            var appendTicks = 0L;
            var batchClock = Stopwatch.StartNew();
            for (var b = 0; b < batches; b++)
            {
                var events = Enumerable.Range(0, batchSize).Select(i => LedgerBulkLoad.SampleEvent(i)).ToList();
                appendTicks += await writer.ExecuteAsync(null, tx =>
                {
                    var started = Stopwatch.GetTimestamp();
                    foreach (var e in events)
                    {
                        tx.Ledger.Append(e, "bench");
                    }
                    return Stopwatch.GetTimestamp() - started;
                });
            }
            batchClock.Stop();
            var batched = (long)batches * batchSize;
            Console.WriteLine($"append (inside the transaction: leaf hash, event row, node rows): " +
                $"{appendTicks * 1_000_000.0 / Stopwatch.Frequency / batched:F1} us/event over {batched:N0} events");
            Console.WriteLine($"durable batches of {batchSize}: {batched / batchClock.Elapsed.TotalSeconds:N0} events/s");

            // Single-event units from concurrent callers: the writer groups them into one commit and fsync.
            var latencies = new double[units];
            var next = -1;
            var unitClock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < units)
                {
                    var e = LedgerBulkLoad.SampleEvent(i);
                    var started = Stopwatch.GetTimestamp();
                    await writer.ExecuteAsync(null, tx => tx.Ledger.Append(e, "bench"));
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            })));
            unitClock.Stop();
            var (groups, grouped, _) = writer.Statistics;
            Console.WriteLine($"durable single-event units, {callers} callers: {units / unitClock.Elapsed.TotalSeconds:N0} events/s, " +
                $"latency {LatencyStatistics.Summary(latencies, "ms")}; {grouped / (double)groups:F1} units per group commit overall");

            using var connection = database.OpenReader();
            var size = LedgerRepository.Size(connection);
            var expected = preload + batched + units;
            var root = LedgerRepository.Run(connection, NodePlan.Root(size))[0];
            var consistent = ProofVerifier.VerifyConsistency(preload, size, LedgerRepository.Run(connection, NodePlan.Root(preload))[0], root,
                LedgerRepository.Run(connection, NodePlan.Consistency(preload, size)));
            var tail = new CompactRange();
            foreach (var body in connection.Query<byte[]>("SELECT body FROM ledger_events WHERE seq >= @preload ORDER BY seq", new { preload }))
            {
                tail.Append(MerkleHash.HashLeaf(body));
            }
            var tailMatches = preload == 0 && tail.Root().AsSpan().SequenceEqual(root);
            Console.WriteLine($"check: {size:N0} leaves (expected {expected:N0}); consistency {preload:N0} -> {size:N0} {(consistent ? "verifies" : "FAILS")}" +
                (preload == 0 ? $"; root recomputed from the events {(tailMatches ? "matches" : "DIFFERS")}" : ""));
            return size == expected && consistent && (preload > 0 || tailMatches) ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
