using System.CommandLine;
using System.Diagnostics;
using Credentials.Core.Ledger;

namespace Credentials.Bench;

/// <summary>
/// The ledger's Merkle algorithms at scale, without a database: appends into the in-memory complete-subtree
/// store, then the latency of planning and assembling inclusion and consistency proofs at that size. A database
/// store adds its one batch fetch per proof on top of the assembly figures.
/// </summary>
internal static class LedgerBenchmark
{
    public static Command Create()
    {
        var leaves = BenchOptions.Count("--leaves", 10_000_000L, "Leaves appended to the in-memory store", minimum: 2);
        var samples = BenchOptions.Count("--samples", 100_000, "Proofs of each kind");
        var command = new Command("ledger", "Merkle log without a database: append cost and proof assembly p50/p99") { leaves, samples };
        command.SetAction(parse => RunAsync(parse.GetValue(leaves), parse.GetValue(samples)));
        return command;
    }

    private static Task<int> RunAsync(long leaves, int samples)
    {

        Console.WriteLine($"ledger: {leaves:N0} leaves, {samples:N0} samples per proof kind");
        var store = AppendToStore(leaves);
        var range = AppendToCompactRange(leaves);
        var root = store.Root(leaves);
        if (!root.AsSpan().SequenceEqual(range.Root()))
        {
            Console.Error.WriteLine("ledger: store and compact range disagree on the root");
            return Task.FromResult(1);
        }
        Console.WriteLine($"  root {Convert.ToHexStringLower(root)}; managed heap {GC.GetTotalMemory(false) / (1 << 20):N0} MiB");

        var random = new Random(42);
        var failures = MeasureProofs("inclusion", samples, store, () =>
        {
            var m = random.NextInt64(0, leaves);
            return (NodePlan.Inclusion(m, leaves),
                proof => ProofVerifier.VerifyInclusion(m, leaves, store.Fetch([new NodeId(0, m)])[new NodeId(0, m)], proof, root));
        });
        failures += MeasureProofs("consistency", samples, store, () =>
        {
            var m = random.NextInt64(1, leaves);
            return (NodePlan.Consistency(m, leaves),
                proof => ProofVerifier.VerifyConsistency(m, leaves, store.Root(m), root, proof));
        });
        return Task.FromResult(failures == 0 ? 0 : 1);
    }

    private static InMemoryNodeStore AppendToStore(long leaves)
    {
        var store = new InMemoryNodeStore();
        var leaf = new byte[MerkleHash.Size];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < leaves; i++)
        {
            FakeLeafHash(i, leaf);
            store.Append(leaf);
        }
        clock.Stop();
        Report("append via LogAppend (list siblings, batch fetch, write new nodes)", clock, leaves, allocated);
        return store;
    }

    private static CompactRange AppendToCompactRange(long leaves)
    {
        var range = new CompactRange();
        var leaf = new byte[MerkleHash.Size];
        var newNodes = new List<MerkleNode>();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < leaves; i++)
        {
            FakeLeafHash(i, leaf);
            range.Append(leaf, newNodes);
            newNodes.Clear();
        }
        clock.Stop();
        Report("append via CompactRange (writer holds the right edge, no reads)", clock, leaves, allocated);
        return range;
    }

    private static int MeasureProofs(
        string kind, int samples, InMemoryNodeStore store, Func<(NodePlan Plan, Func<byte[][], bool> Verify)> next)
    {
        var warmup = Math.Min(1000, samples);
        var assembly = new double[samples];
        var fetch = new double[samples];
        var nodes = 0L;
        var failures = 0;
        for (var i = -warmup; i < samples; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var (plan, verify) = next();
            var t1 = Stopwatch.GetTimestamp();
            var fetched = store.Fetch(plan.NodeIds);
            var t2 = Stopwatch.GetTimestamp();
            var proof = plan.Assemble(fetched);
            var t3 = Stopwatch.GetTimestamp();
            if (i < 0)
            {
                continue;
            }
            assembly[i] = Micros(t1 - t0 + t3 - t2);
            fetch[i] = Micros(t2 - t1);
            nodes += plan.NodeIds.Count;
            if (i % 100 == 0 && !verify(proof))
            {
                failures++;
            }
        }
        Array.Sort(assembly);
        Array.Sort(fetch);
        Console.WriteLine(
            $"  {kind,-11} plan+assemble p50 {Percentile(assembly, 0.50):F1} us  p99 {Percentile(assembly, 0.99):F1} us  max {assembly[^1]:F1} us;"
            + $" in-memory fetch p50 {Percentile(fetch, 0.50):F1} us  p99 {Percentile(fetch, 0.99):F1} us;"
            + $" {nodes / (double)samples:F1} nodes/proof; {failures} of {(samples + 99) / 100} spot checks failed to verify");
        return failures;
    }

    private static void Report(string what, Stopwatch clock, long leaves, long allocatedBefore)
    {
        var perLeaf = clock.Elapsed.TotalNanoseconds / leaves;
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)leaves;
        Console.WriteLine($"  {what}: {clock.Elapsed.TotalSeconds:F1} s, {perLeaf:F0} ns/leaf, {bytes:F0} B allocated/leaf");
    }

    // A stand-in for SHA-256 leaf hashes: the leaf hash is the caller's work, not the append's.
    private static void FakeLeafHash(long index, byte[] into)
    {
        var x = (ulong)index * 0x9E3779B97F4A7C15UL + 1;
        for (var i = 0; i < into.Length; i += 8)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            BitConverter.TryWriteBytes(into.AsSpan(i), x);
        }
    }

    private static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];
}
