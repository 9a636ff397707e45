using System.Diagnostics;
using Credentials.Core.Ledger;
using Credentials.Core.Principals;
using Credentials.Grpc;
using Credentials.Grpc.Client;
using Credentials.Server.Hosting;
using Credentials.Store;
using Credentials.V1;
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
internal sealed class LedgerStreamBenchmark : IBenchCommand
{
    public string Description => "StreamEvents events/s over gRPC on loopback [--events 300000] [--runs 5] [--batch-size 0]";

    public async Task<int> RunAsync(string[] args)
    {
        var options = BenchArguments.Parse(args, new() { ["events"] = "300000", ["runs"] = "5", ["batch-size"] = "0" });
        if (options is null)
        {
            return 2;
        }
        var count = options.Int("events");
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
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { DefaultHeaders = new Metadata().Add("authorization", "Bearer " + token) });
            var request = new StreamEventsRequest { BatchSize = options.Int("batch-size") };

            // Timed runs only count: holding 300 MB of messages would measure the garbage collector.
            var rates = new List<double>();
            // Run 0 is a warm-up (JIT tiers, the database file into the page cache) and is not counted.
            for (var run = 0; run <= options.Int("runs"); run++)
            {
                long events = 0, bytes = 0, messages = 0;
                var started = Stopwatch.GetTimestamp();
                await foreach (var message in StreamAsync(channel, request))
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
            await foreach (var message in StreamAsync(channel, request))
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

    private static async IAsyncEnumerable<StreamEventsResponse> StreamAsync(GrpcChannel channel, StreamEventsRequest request)
    {
        using var call = channel.ServerStreamingCall<StreamEventsRequest, StreamEventsResponse>("/credentials.v1.LedgerService/StreamEvents", request);
        while (await call.ResponseStream.MoveNext())
        {
            yield return call.ResponseStream.Current;
        }
    }
}
