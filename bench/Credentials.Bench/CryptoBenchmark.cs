using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Credentials.Core.Envelopes;
using Credentials.Core.Signing;
using Credentials.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Credentials.Bench;

/// <summary>
/// Signatures per second, single-threaded, for each algorithm over the PAE of a realistic
/// certificate document, with BouncyCastle's stock SM2Signer as a baseline and optionally
/// <c>openssl speed</c>, all in one run. Each figure is given per wall-clock second and per
/// CPU-second of the process: the box is shared, and time-slicing by other work lowers the
/// first but hardly the second. <c>openssl speed</c> divides by CPU user time too (unless
/// given -elapsed), so the CPU-second figures are the ones to compare with it.
/// </summary>
internal static class CryptoBenchmark
{
    private const double Sm2SignTarget = 12_000;
    private const double Sm2VerifyTarget = 15_000;

    public static Command Create()
    {
        var seconds = BenchOptions.Count("--seconds", 3.0, "Seconds per figure", minimum: 0.1);
        var openssl = new Option<bool>("--openssl") { Description = "Also run `openssl speed` for comparison" };
        var checkJit = new Option<bool>("--check-jit")
        {
            Description = "Check the machine code of SM2 signing's constant-time arithmetic for conditional jumps, and run nothing else",
        };
        var command = new Command("crypto", "Sign/verify per second per algorithm, one thread") { seconds, openssl, checkJit };
        command.SetAction(parse => parse.GetValue(checkJit)
            ? CryptoJitCheck.RunAsync()
            : RunAsync(parse.GetValue(seconds), parse.GetValue(openssl)));
        return command;
    }

    private static async Task<int> RunAsync(double seconds, bool openssl)
    {
        var message = SamplePae();
        Console.WriteLine($"load average at start: {LoadAverage()}");
        Console.WriteLine($"message: PAE of a certificate document, {message.Length} bytes; {seconds} s per figure, one thread");
        Console.WriteLine($"{"",-34} {"per wall-clock second",21}   {"per CPU-second",19}");
        Console.WriteLine($"{"algorithm",-34} {"sign/s",10} {"verify/s",10}   {"sign/s",9} {"verify/s",9}");
        var results = new Dictionary<string, (Rate Sign, Rate Verify)>();
        foreach (var algorithm in System.Enum.GetValues<SigningAlgorithm>())
        {
            using var key = SigningKey.Generate(algorithm);
            var signature = key.Sign(message);
            var publicKey = key.PublicKey;
            var sign = Measure(() => key.Sign(message), seconds);
            var verify = Measure(() =>
            {
                if (!publicKey.Verify(message, signature))
                {
                    throw new InvalidOperationException("A valid signature did not verify.");
                }
            }, seconds);
            results[algorithm.ToName()] = (sign, verify);
            Print(algorithm.ToName(), sign, verify);
        }
        var stock = MeasureStockSm2Signer(message, seconds);
        Print("SM2-SM3, BouncyCastle SM2Signer", stock.Sign, stock.Verify);

        var ours = results[SigningAlgorithm.Sm2Sm3.ToName()];
        Console.WriteLine();
        Console.WriteLine($"SM2 ours / SM2Signer (same run): sign {ours.Sign.PerCpuSecond / stock.Sign.PerCpuSecond:F2}x, verify {ours.Verify.PerCpuSecond / stock.Verify.PerCpuSecond:F2}x (per CPU-second; wall clock {ours.Sign.PerSecond / stock.Sign.PerSecond:F2}x, {ours.Verify.PerSecond / stock.Verify.PerSecond:F2}x)");
        if (openssl)
        {
            var speeds = await RunOpenSslSpeedAsync(seconds);
            if (speeds.TryGetValue("CurveSM2", out var sm2))
            {
                Console.WriteLine($"SM2 ours / openssl speed sm2 (per CPU-second): sign {ours.Sign.PerCpuSecond / sm2.Sign:F2}x, verify {ours.Verify.PerCpuSecond / sm2.Verify:F2}x");
            }
        }
        Console.WriteLine($"SM2 target (DESIGN.md) sign >= {Sm2SignTarget:N0}/s, verify >= {Sm2VerifyTarget:N0}/s on one thread: "
            + $"per CPU-second {Verdict(ours.Sign.PerCpuSecond >= Sm2SignTarget && ours.Verify.PerCpuSecond >= Sm2VerifyTarget)}, "
            + $"per wall-clock second {Verdict(ours.Sign.PerSecond >= Sm2SignTarget && ours.Verify.PerSecond >= Sm2VerifyTarget)}");
        Console.WriteLine($"load average at end: {LoadAverage()}");
        return 0;
    }

    private readonly record struct Rate(double PerSecond, double PerCpuSecond);

    private static void Print(string name, Rate sign, Rate verify) =>
        Console.WriteLine($"{name,-34} {sign.PerSecond,10:F0} {verify.PerSecond,10:F0}   {sign.PerCpuSecond,9:F0} {verify.PerCpuSecond,9:F0}");

    private static string Verdict(bool met) => met ? "met" : "NOT met";

    /// <summary>Operations per second after a warm-up long enough for tiered JIT to finish.</summary>
    private static Rate Measure(Action operation, double seconds)
    {
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < Math.Min(1.0, seconds / 2))
        {
            operation();
        }
        var count = 0;
        var cpuStart = Environment.CpuUsage.TotalTime;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed.TotalSeconds < seconds)
        {
            operation();
            count++;
        }
        var wall = stopwatch.Elapsed.TotalSeconds;
        var cpu = (Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds;
        return new Rate(count / wall, count / cpu);
    }

    /// <summary>
    /// The baseline: BouncyCastle's own SM2Signer on the same curve and message, used the usual
    /// way (a signer per operation, so Z_A is recomputed; the public point is reused).
    /// </summary>
    private static (Rate Sign, Rate Verify) MeasureStockSm2Signer(byte[] message, double seconds)
    {
        var curve = CustomNamedCurves.GetByName("sm2p256v1");
        var domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        var random = new SecureRandom();
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(domain, random));
        var pair = generator.GenerateKeyPair();
        byte[] Sign()
        {
            var signer = new SM2Signer();
            signer.Init(true, new ParametersWithRandom(pair.Private, random));
            signer.BlockUpdate(message, 0, message.Length);
            return signer.GenerateSignature();
        }
        var signature = Sign();
        var signRate = Measure(() => Sign(), seconds);
        var verifyRate = Measure(() =>
        {
            var verifier = new SM2Signer();
            verifier.Init(false, pair.Public);
            verifier.BlockUpdate(message, 0, message.Length);
            if (!verifier.VerifySignature(signature))
            {
                throw new InvalidOperationException("A valid signature did not verify.");
            }
        }, seconds);
        return (signRate, verifyRate);
    }

    /// <summary>Runs openssl speed, prints its lines and returns sign/s and verify/s by curve name.</summary>
    private static async Task<Dictionary<string, (double Sign, double Verify)>> RunOpenSslSpeedAsync(double seconds)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "speed", "-seconds", ((int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture), "sm2", "ecdsap256", "ed25519" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Console.WriteLine();
        Console.WriteLine("openssl speed, one thread, per CPU-second (sign/s, verify/s are the last two columns):");
        var speeds = new Dictionary<string, (double Sign, double Verify)>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n').Where(l => l.Contains(" bits ", StringComparison.Ordinal)))
        {
            Console.WriteLine("  " + line.Trim());
            // "256 bits SM2 (CurveSM2)   0.0002s   0.0002s   4525.9   4892.2"
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var open = line.IndexOf('(', StringComparison.Ordinal);
            var close = line.IndexOf(')', StringComparison.Ordinal);
            if (fields.Length >= 2 && open >= 0 && close > open
                && double.TryParse(fields[^2], CultureInfo.InvariantCulture, out var sign)
                && double.TryParse(fields[^1], CultureInfo.InvariantCulture, out var verify))
            {
                speeds[line[(open + 1)..close]] = (sign, verify);
            }
        }
        return speeds;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static byte[] SamplePae()
    {
        var document = new CertificateDocument
        {
            Number = "DL-S01-2024-000123K",
            HolderName = "王小明",
            HolderDocumentType = DocumentType.ResidentIdCard,
            HolderDocumentMasked = "21**************1X",
            Series = "工程系列",
            Specialty = "建筑工程",
            Level = TitleLevel.DeputySenior,
            TitleName = "高级工程师",
            CommitteeCode = "DL-S01",
            CommitteeName = "大连市工程系列建筑工程专业高级职称评审委员会",
            ReviewYear = 2024,
            QualificationDate = new Google.Type.Date { Year = 2024, Month = 12, Day = 30 },
            ApprovalDocument = "大人社发〔2024〕15号",
            IssuedAt = Timestamp.FromDateTime(new DateTime(2025, 1, 6, 8, 0, 0, DateTimeKind.Utc)),
            KeyId = "sm2-0123456789abcdef",
        };
        return Pae.Encode(PayloadTypes.Certificate, document.ToByteArray());
    }
}
