using System.Diagnostics;
using System.Globalization;
using Credentials.Core.Committees;
using Credentials.Core.Identity;
using Credentials.Core.Principals;
using Credentials.Core.Signing;
using System.CommandLine;
using Credentials.Core.Time;
using Credentials.Server.Committees;
using Credentials.Server.Hosting;
using Credentials.Store;
using Credentials.Store.Writing;
using Credentials.V1;
using Dapper;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Bench;

/// <summary>
/// Durable issuance over gRPC on loopback against the real server (in this process, Release):
/// every certificate numbered, signed (SM2 by default), stored with its ledger event and
/// Merkle nodes, and fsync'd before the call returns. Two phases: sequential batches, then
/// concurrent unary callers. The store is checked afterwards: every acknowledged certificate is there.
/// </summary>
internal static class IssuanceBenchmark
{
    private const int WarmUpUnary = 1000;
    private const int MaxWarmUpRounds = 30;

    /// <summary>The JIT has settled when a warm-up round compiles fewer methods than this.</summary>
    private const int SettledMethods = 10;

    public static Command Create()
    {
        var batches = BenchOptions.Count("--batches", 20, "Sequential BatchIssueCertificates calls");
        var batchSize = BenchOptions.Count("--batch-size", 500, "Certificates per batch");
        var unary = BenchOptions.Count("--unary", 20000, "IssueCertificate calls in the concurrent phase");
        var callers = BenchOptions.Count("--callers", 32, "Concurrent unary callers");
        var algorithm = new Option<string>("--algorithm") { Description = "The signing key's algorithm", DefaultValueFactory = _ => SigningAlgorithm.Sm2Sm3.ToName() }
            .AcceptOnlyFromAmong([.. Enum.GetValues<SigningAlgorithm>().Select(a => a.ToName())]);
        var command = new Command("issuance", "Durable issuance over gRPC: sequential batches, then concurrent unary callers")
        {
            batches, batchSize, unary, callers, algorithm,
        };
        command.SetAction(parse => RunAsync(parse.GetValue(batches), parse.GetValue(batchSize), parse.GetValue(unary), parse.GetValue(callers),
            parse.GetValue(algorithm)!));
        return command;
    }

    private static async Task<int> RunAsync(int batches, int batchSize, int unary, int callers, string algorithm)
    {
        var dataDir = Directory.CreateTempSubdirectory("credentials-bench-").FullName;
        try
        {
            string[] serverArgs = ["--urls", "http://127.0.0.1:0", "--data-dir", dataDir, "--Keys:Algorithm", algorithm,
                "--Logging:LogLevel:Default", "Warning"];
            await using var app = ServerHost.Build(serverArgs);
            var console = new StringWriter();
            await Startup.InitializeAsync(app.Services, console);
            await app.StartAsync();
            var token = console.ToString().Split(' ', '\n').Single(AccessToken.IsWellFormed);
            await SeedAsync(app.Services);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var channel = GrpcChannel.ForAddress(address);
            var client = new CertificateService.CertificateServiceClient(channel.Intercept(headers =>
            {
                headers.Add("authorization", "Bearer " + token);
                return headers;
            }));
            var holders = new HolderSequence();

            Console.WriteLine($"server: {address}, key algorithm {algorithm}, {Environment.ProcessorCount} cores, data dir {dataDir}");
            var warmUp = await WarmUpAsync(client, holders, batchSize, callers);
            Console.WriteLine($"warm-up: {warmUp.Rounds} rounds of a batch and {WarmUpUnary} unary calls ({warmUp.Certificates} certificates, not measured) " +
                $"until a round compiled fewer than {SettledMethods} methods: {warmUp.LastCompiled} in the last");

            var batchCpu = ProcessCpu();
            var batchClock = Stopwatch.StartNew();
            var batchLatencies = new List<double>();
            for (var b = 0; b < batches; b++)
            {
                var started = Stopwatch.GetTimestamp();
                await BatchAsync(client, holders, $"batch-{b}", batchSize);
                batchLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            batchClock.Stop();
            batchCpu = ProcessCpu() - batchCpu;
            var batchRate = batches * batchSize / batchClock.Elapsed.TotalSeconds;
            Console.WriteLine($"batches: {batches} x {batchSize} certificates in {batchClock.Elapsed.TotalSeconds:F2} s = {batchRate:F0} certificates/s " +
                $"(batch p50 {Percentile(batchLatencies, 0.5):F0} ms, p99 {Percentile(batchLatencies, 0.99):F0} ms; " + CpuPerCertificate(batchCpu, batches * batchSize) + ")");

            var unaryCpu = ProcessCpu();
            var unaryClock = Stopwatch.StartNew();
            var unaryLatencies = await UnaryAsync(client, holders, "unary", unary, callers);
            unaryClock.Stop();
            unaryCpu = ProcessCpu() - unaryCpu;
            var unaryRate = unary / unaryClock.Elapsed.TotalSeconds;
            Console.WriteLine($"unary: {unary} certificates from {callers} concurrent callers in {unaryClock.Elapsed.TotalSeconds:F2} s = {unaryRate:F0} certificates/s " +
                $"(p50 {Percentile(unaryLatencies, 0.5):F1} ms, p99 {Percentile(unaryLatencies, 0.99):F1} ms; " + CpuPerCertificate(unaryCpu, unary) + ")");

            Console.WriteLine($"issuer: {app.Services.GetRequiredService<Credentials.Server.Certificates.CertificateIssuer>().ResignedInWriter} certificates signed again in the writer (serial predicted wrong)");
            var (groups, units, busy) = app.Services.GetRequiredService<StoreWriter>().Statistics;
            Console.WriteLine($"writer: {groups} group commits of {units / (double)Math.Max(groups, 1):F1} units on average, " +
                $"{busy.TotalMilliseconds / Math.Max(groups, 1):F2} ms per group ({busy.TotalSeconds:F2} s busy in all, warm-up included)");
            var expected = warmUp.Certificates + batches * batchSize + unary;
            var stored = CountCertificates(app.Services);
            var size = new DirectoryInfo(dataDir).GetFiles("credentials.db*").Sum(f => f.Length);
            Console.WriteLine($"store: {stored} certificates (expected {expected}), {size / 1024.0 / 1024.0:F1} MiB, {size / (double)stored:F0} bytes per certificate " +
                "(database + WAL, committees and keys included)");
            await app.StopAsync();
            return stored == expected ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>
    /// Issues a batch and <see cref="WarmUpUnary"/> unary certificates at a time until a round compiles
    /// (almost) no method. Tiered compilation keeps hot code in its first, slow tiers while new methods
    /// are still being compiled: after a fixed warm-up of a few seconds, SM2 signing was mostly still in
    /// tier 0 and a run issued 30-40% fewer certificates per second than one with the JIT settled.
    /// </summary>
    private static async Task<(int Rounds, int Certificates, long LastCompiled)> WarmUpAsync(CertificateService.CertificateServiceClient client,
        HolderSequence holders, int batchSize, int callers)
    {
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        for (var round = 1; ; round++)
        {
            await BatchAsync(client, holders, $"warm-up-{round}", batchSize);
            await UnaryAsync(client, holders, $"warm-up-{round}", WarmUpUnary, callers);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now - compiled < SettledMethods || round == MaxWarmUpRounds)
            {
                return (round, round * (batchSize + WarmUpUnary), now - compiled);
            }
            compiled = now;
        }
    }

    /// <summary><paramref name="count"/> IssueCertificate calls from <paramref name="callers"/> concurrent callers; the latencies in ms.</summary>
    private static async Task<double[]> UnaryAsync(CertificateService.CertificateServiceClient client, HolderSequence holders, string requestIdPrefix,
        int count, int callers)
    {
        var latencies = new double[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var request = new IssueCertificateRequest { RequestId = $"{requestIdPrefix}-{i}", CommitteeCode = "DL-S01", Spec = holders.NextSpec() };
                var started = Stopwatch.GetTimestamp();
                await client.IssueCertificateAsync(request);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        return latencies;
    }

    private static async Task BatchAsync(CertificateService.CertificateServiceClient client, HolderSequence holders, string requestId, int size)
    {
        var request = new BatchIssueCertificatesRequest { RequestId = requestId, CommitteeCode = "DL-S01" };
        for (var i = 0; i < size; i++)
        {
            request.Items.Add(holders.NextSpec());
        }
        var response = await client.BatchIssueCertificatesAsync(request);
        if (response.Certificates.Count != size)
        {
            throw new InvalidOperationException($"A batch of {size} returned {response.Certificates.Count} certificates.");
        }
    }

    private static Task SeedAsync(IServiceProvider services)
    {
        var (from, until) = CommitteeCsv.DefaultWindow;
        var csv = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "dalian-2024-committees.csv"));
        var committees = CommitteeCsv.Parse(csv, "大连市", from, until, DateTimeOffset.UtcNow);
        return services.GetRequiredService<StoreWriter>().ExecuteAsync(null, tx =>
        {
            foreach (var committee in committees)
            {
                CommitteeAccreditation.Accredit(tx, committee, "bench");
            }
            return true;
        });
    }

    private static long CountCertificates(IServiceProvider services)
    {
        using var connection = services.GetRequiredService<Database>().OpenReader();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM certificates");
    }

    private static TimeSpan ProcessCpu() => Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>
    /// The process's CPU time per certificate during a phase, also in SM2 signatures of 38 µs (26,000 per
    /// CPU-second, bench/README.md "Crypto"): the DESIGN target is at most 5. The client is in the process too.
    /// </summary>
    private static string CpuPerCertificate(TimeSpan cpu, int certificates)
    {
        var perCertificate = cpu.TotalMicroseconds / certificates;
        return $"CPU {perCertificate:F0} µs per certificate, {perCertificate / 38.5:F1} SM2 signatures, client included";
    }

    private static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    /// <summary>Distinct applicants with valid resident ID numbers, so no one gets the same level twice in a year.</summary>
    private sealed class HolderSequence
    {
        private static readonly string[] Specialties = ["建筑工程", "岩土工程", "给排水", "暖通空调", "道路桥梁", "工程测量"];
        private static readonly string[] Names = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇"];
        private int _next;

        public CertificateSpec NextSpec()
        {
            var n = Interlocked.Increment(ref _next);
            var birth = new DateOnly(1965, 1, 1).AddDays(n / 900 % 12000);
            var first17 = string.Create(CultureInfo.InvariantCulture, $"210202{birth:yyyyMMdd}{n % 900 + 100:D3}");
            return new CertificateSpec
            {
                Holder = new Holder { Name = Names[n % Names.Length], DocumentType = DocumentType.ResidentIdCard, DocumentNumber = first17 + ResidentIdNumber.CheckCharacter(first17) },
                Series = "工程系列",
                Specialty = Specialties[n % Specialties.Length],
                Level = TitleLevel.DeputySenior,
                TitleName = "高级工程师",
                ReviewMeetingDate = Dates.ToProto(new DateOnly(2024, 10, 25)),
                ReviewYear = 2024,
                QualificationDate = Dates.ToProto(new DateOnly(2024, 12, 1)),
                ApprovalDocument = "大人社发〔2024〕15号",
            };
        }
    }
}
