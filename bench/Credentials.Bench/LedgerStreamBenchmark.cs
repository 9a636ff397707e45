using System.CommandLine;
using System.Diagnostics;
using Credentials.Core.Ledger;
using Credentials.Core.Principals;
using Credentials.Server.Hosting;
using Credentials.Store;
using Credentials.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Bench;

/// <summary>
/// StreamEvents over real gRPC on loopback: the real server (this process, Release) over a store bulk-loaded with
/// --events realistic (~1 KB) events; a client streams them all from leaf 0, once to warm up, then --runs times. Reports events/s and
/// MB/s of the stream alone, then streams once more like a platform: the leaves contiguous, each hashed as it
/// arrives, the root equal to the closing checkpoint's (the rate of stream + verification).
/// </summary>
internal static class LedgerStreamBenchmark
{
    public static Command Create()
    {
        var events = BenchOptions.Count("--events", 300000, "Events bulk-loaded into the store");
        var runs = BenchOptions.Count("--runs", 5, "Timed streams of every event, after a warm-up");
        var batchSize = BenchOptions.Count("--batch-size", 0, "StreamEventsRequest.batch_size (0: the server's default)", minimum: 0);
        var command = new Command("ledger-stream", "StreamEvents events/s over gRPC on loopback") { events, runs, batchSize };
        command.SetAction(parse => RunAsync(parse.GetValue(events), parse.GetValue(runs), parse.GetValue(batchSize)));
        return command;
    }

    private static async Task<int> RunAsync(int count, int runs, int batchSize)
    {
        var dataDir = Directory.CreateTempSubdirectory("credentials-bench-stream-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            LedgerBulkLoad.Load(Database.Open(dataDir).Path, count, withEvents: true);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Console.WriteLine($"loaded {count:N0} events in {clock.Elapsed.TotalSeconds:F0} s");

            string[] serverArgs = ["--urls", "http://127.0.0.1:0", "--data-dir", dataDir, "--Logging:LogLevel:Default", "Warning"];
            await using var app = ServerHost.Build(serverArgs);
            var console = new StringWriter();
            await Startup.InitializeAsync(app.Services, console);
            await app.StartAsync();
            var token = console.ToString().Split(' ', '\n').Single(AccessToken.IsWellFormed);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var channel = GrpcChannel.ForAddress(address);
            var client = new LedgerService.LedgerServiceClient(channel.Intercept(headers =>
            {
                headers.Add("authorization", "Bearer " + token);
                return headers;
            }));
            var request = new StreamEventsRequest { BatchSize = batchSize };

            // Timed runs only count: holding 300 MB of messages would measure the garbage collector.
            var rates = new List<double>();
            // Run 0 is a warm-up (JIT tiers, the database file into the page cache) and is not counted.
            for (var run = 0; run <= runs; run++)
            {
                long events = 0, bytes = 0, messages = 0;
                var started = Stopwatch.GetTimestamp();
                await foreach (var message in StreamAsync(client, request))
                {
                    messages++;
                    events += message.Entries.Count;
                    foreach (var entry in message.Entries)
                    {
                        bytes += entry.Event.Length;
                    }
                }
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                if (run > 0)
                {
                    rates.Add(events / seconds);
                }
                Console.WriteLine($"{(run == 0 ? "warm-up" : $"run {run}")}: {events:N0} events ({bytes / 1e6:F0} MB) in {seconds:F2} s = {events / seconds:N0} events/s, " +
                    $"{bytes / 1e6 / seconds:F0} MB/s, {messages:N0} messages");
            }
            Console.WriteLine($"StreamEvents: median {LatencyStatistics.Percentile(rates, 0.5):N0} events/s, best {rates.Max():N0}, worst {rates.Min():N0} over {rates.Count} runs (target >= 50,000)");

            // One more run as a platform does it: every leaf hashed into the range as it arrives, the root compared at the end.
            var verify = Stopwatch.StartNew();
            var range = new CompactRange();
            SignedCheckpoint? checkpoint = null;
            await foreach (var message in StreamAsync(client, request))
            {
                foreach (var entry in message.Entries)
                {
                    if (entry.LeafIndex != range.Size)
                    {
                        Console.Error.WriteLine($"stream: leaf {range.Size} missing");
                        return 1;
                    }
                    range.Append(MerkleHash.HashLeaf(entry.Event.Span));
                }
                checkpoint = message.Checkpoint ?? checkpoint;
            }
            var matches = checkpoint is not null && checkpoint.TreeSize == range.Size && range.Root().AsSpan().SequenceEqual(checkpoint.RootHash.Span);
            Console.WriteLine($"stream + client check: {range.Size:N0} leaves received, hashed and folded in {verify.Elapsed.TotalSeconds:F2} s " +
                $"({range.Size / verify.Elapsed.TotalSeconds:N0} events/s); root {(matches ? "matches" : "DIFFERS from")} the checkpoint of {checkpoint?.TreeSize:N0}");
            return matches ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async IAsyncEnumerable<StreamEventsResponse> StreamAsync(LedgerService.LedgerServiceClient client, StreamEventsRequest request)
    {
        using var call = client.StreamEvents(request);
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            yield return message;
        }
    }
}
