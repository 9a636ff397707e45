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
/// --events realistic (~1 KB) events; a client streams them all from leaf 0, --runs times. Reports events/s and
/// MB/s of the stream alone, then checks the last run like a platform would: the leaves contiguous, and their
/// recomputed root equal to the closing checkpoint's (timed separately: the client's verification rate).
/// </summary>
internal sealed class LedgerStreamBenchmark : IBenchCommand
{
    public string Description => "StreamEvents events/s over gRPC on loopback [--events 500000] [--runs 3] [--batch-size 0]";

    public async Task<int> RunAsync(string[] args)
    {
        var options = BenchArguments.Parse(args, new() { ["events"] = "500000", ["runs"] = "3", ["batch-size"] = "0" });
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

            List<StreamEventsResponse> last = [];
            var rates = new List<double>();
            for (var run = 0; run < options.Int("runs"); run++)
            {
                last = [];
                long events = 0, bytes = 0;
                var started = Stopwatch.GetTimestamp();
                using (var call = channel.ServerStreamingCall<StreamEventsRequest, StreamEventsResponse>("/credentials.v1.LedgerService/StreamEvents", request))
                {
                    while (await call.ResponseStream.MoveNext())
                    {
                        var message = call.ResponseStream.Current;
                        events += message.Entries.Count;
                        foreach (var entry in message.Entries)
                        {
                            bytes += entry.Event.Length;
                        }
                        last.Add(message);
                    }
                }
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                rates.Add(events / seconds);
                Console.WriteLine($"run {run + 1}: {events:N0} events ({bytes / 1e6:F0} MB) in {seconds:F2} s = {events / seconds:N0} events/s, " +
                    $"{bytes / 1e6 / seconds:F0} MB/s, {last.Count:N0} messages");
            }
            Console.WriteLine($"StreamEvents: median {LatencyStatistics.Percentile(rates, 0.5):N0} events/s over {rates.Count} runs (target >= 50,000)");

            var verify = Stopwatch.StartNew();
            var range = new CompactRange();
            foreach (var entry in last.SelectMany(m => m.Entries))
            {
                if (entry.LeafIndex != range.Size)
                {
                    Console.Error.WriteLine($"stream: leaf {range.Size} missing");
                    return 1;
                }
                range.Append(MerkleHash.HashLeaf(entry.Event.Span));
            }
            var checkpoint = last[^1].Checkpoint;
            var matches = checkpoint.TreeSize == range.Size && range.Root().AsSpan().SequenceEqual(checkpoint.RootHash.Span);
            Console.WriteLine($"client check: {range.Size:N0} leaves hashed and folded in {verify.Elapsed.TotalSeconds:F2} s " +
                $"({range.Size / verify.Elapsed.TotalSeconds:N0} events/s); root {(matches ? "matches" : "DIFFERS from")} the checkpoint of {checkpoint.TreeSize:N0}");
            return matches ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
