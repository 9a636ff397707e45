using System.CommandLine;
using System.Diagnostics;
using Credentials.Server.Hosting;
using Credentials.Server.Verification;
using Credentials.Store;
using Credentials.V1;
using Dapper;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Bench;

/// <summary>
/// Verification on a store made by `generate`, in this process (Release), rate limits off:
/// VerifyCertificate on random existing numbers without the transport (what a lookup costs
/// when it is not in any cache), then VerifyEnvelope with SM2 both without the transport and
/// over gRPC on loopback from concurrent callers.
/// </summary>
internal static class VerificationBenchmark
{
    public static Command Create()
    {
        var dataDirectory = new Option<DirectoryInfo>("--data-dir") { Description = "A store made by `generate` (with its numbers.txt)", Required = true };
        dataDirectory.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<DirectoryInfo>() is { } directory && !File.Exists(Path.Combine(directory.FullName, "numbers.txt")))
            {
                result.AddError($"--data-dir {directory.FullName} is not a store made by `generate`: it has no numbers.txt.");
            }
        });
        var seconds = BenchOptions.Count("--seconds", 10, "Seconds per figure");
        var callers = BenchOptions.Count("--callers", 16, "Concurrent gRPC callers of VerifyEnvelope");
        var envelopes = BenchOptions.Count("--envelopes", 2000, "Envelopes read from the store to verify");
        var command = new Command("verification", "Verification on a generated store: lookups and SM2 envelopes without the transport, then VerifyEnvelope over gRPC")
        {
            dataDirectory, seconds, callers, envelopes,
        };
        command.SetAction(parse => RunAsync(parse.GetValue(dataDirectory)!.FullName, TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(callers),
            parse.GetValue(envelopes)));
        return command;
    }

    private static async Task<int> RunAsync(string dataDir, TimeSpan duration, int callers, int envelopeCount)
    {
        var numbersFile = Path.Combine(dataDir, "numbers.txt");
        var numbers = File.ReadLines(numbersFile).Select(l => l.Split('\t')).Select(p => (Number: p[0], Name: p[1])).ToArray();

        await using var app = ServerHost.Build(["--urls", "http://127.0.0.1:0", "--data-dir", dataDir, "--Logging:LogLevel:Default", "Warning",
            "--RateLimits:Anonymous:Permits=0", "--RateLimits:Employer:Permits=0"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"store: {numbers.Length} certificates in {dataDir}; {Environment.ProcessorCount} cores");

        var verifier = app.Services.GetRequiredService<CertificateVerifier>();
        var (lookups, _) = RunParallel(duration, Environment.ProcessorCount, random =>
        {
            var (number, name) = numbers[random.Next(numbers.Length)];
            var response = verifier.Verify(new VerifyCertificateRequest { Number = number, HolderName = name }).Response;
            if (response.Result != VerificationResult.Valid && response.Result != VerificationResult.Revoked)
            {
                throw new InvalidOperationException($"{number} was {response.Result}");
            }
        });
        Console.WriteLine($"VerifyCertificate, random existing numbers, no transport, {Environment.ProcessorCount} threads: {lookups:F0}/s");

        var envelopes = ReadEnvelopes(app.Services.GetRequiredService<Database>(), envelopeCount);
        var checker = app.Services.GetRequiredService<EnvelopeChecker>();
        var (direct, _) = RunParallel(duration, Environment.ProcessorCount, random =>
        {
            var verdict = checker.Verify(new VerifyEnvelopeRequest { QrText = envelopes[random.Next(envelopes.Length)] }).Response.Verdict;
            if (verdict != EnvelopeVerdict.Valid)
            {
                throw new InvalidOperationException($"verdict {verdict}");
            }
        });
        Console.WriteLine($"VerifyEnvelope (SM2, TC1: text), no transport, {Environment.ProcessorCount} threads: {direct:F0}/s");

        using var channel = GrpcChannel.ForAddress(address);
        var client = new V1.VerificationService.VerificationServiceClient(channel);
        var latencies = new List<double>[callers];
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            var mine = latencies[c] = [];
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var response = await client.VerifyEnvelopeAsync(new VerifyEnvelopeRequest { QrText = envelopes[random.Next(envelopes.Length)] });
                if (response.Verdict != EnvelopeVerdict.Valid)
                {
                    throw new InvalidOperationException($"verdict {response.Verdict}");
                }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine($"VerifyEnvelope (SM2, TC1: text) over gRPC, {callers} callers: {all.Length / stop.Elapsed.TotalSeconds:F0}/s, " +
            $"p50 {all[all.Length / 2]:F2} ms, p99 {all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))]:F2} ms");
        await app.StopAsync();
        return 0;
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="threads"/> threads for <paramref name="duration"/>; operations per second.</summary>
    private static (double Rate, long Count) RunParallel(TimeSpan duration, int threads, Action<Random> work)
    {
        long count = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var random = new Random(t);
            long mine = 0;
            while (clock.Elapsed < duration)
            {
                work(random);
                mine++;
            }
            Interlocked.Add(ref count, mine);
        });
        return (count / clock.Elapsed.TotalSeconds, count);
    }

    /// <summary>The QR texts of <paramref name="count"/> certificates spread over the store.</summary>
    private static string[] ReadEnvelopes(Database database, int count)
    {
        using var connection = database.OpenReader();
        var total = connection.ExecuteScalar<long>("SELECT MAX(seq) FROM ledger_events");
        var random = new Random(42);
        var texts = new List<string>();
        while (texts.Count < count)
        {
            var body = connection.QuerySingleOrDefault<byte[]>("SELECT body FROM ledger_events WHERE seq = @seq", new { seq = random.NextInt64(1, total + 1) });
            if (body is not null && LedgerEvent.Parser.ParseFrom(body) is { CertificateIssued: { } issued })
            {
                texts.Add(Core.Envelopes.QrText.Encode(issued.Envelope));
            }
        }
        return [.. texts];
    }
}
