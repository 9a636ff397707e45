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
/// certificate document. Optionally runs <c>openssl speed</c> for comparison.
/// </summary>
internal static class CryptoBenchmark
{
    public static Command Create()
    {
        var seconds = BenchOptions.Count("--seconds", 3.0, "Seconds per figure", minimum: 0.1);
        var openssl = new Option<bool>("--openssl") { Description = "Also run `openssl speed` for comparison" };
        var command = new Command("crypto", "Sign/verify per second per algorithm, one thread") { seconds, openssl };
        command.SetAction(parse => RunAsync(parse.GetValue(seconds), parse.GetValue(openssl)));
        return command;
    }

    private static async Task<int> RunAsync(double seconds, bool openssl)
    {

        var message = SamplePae();
        Console.WriteLine($"message: PAE of a certificate document, {message.Length} bytes; {seconds} s per figure, one thread");
        Console.WriteLine($"{"algorithm",-34} {"sign/s",10} {"verify/s",10}");
        foreach (var algorithm in System.Enum.GetValues<SigningAlgorithm>())
        {
            using var key = SigningKey.Generate(algorithm);
            var signature = key.Sign(message);
            var publicKey = key.PublicKey;
            var signRate = Measure(() => key.Sign(message), seconds);
            var verifyRate = Measure(() =>
            {
                if (!publicKey.Verify(message, signature))
                {
                    throw new InvalidOperationException("A valid signature did not verify.");
                }
            }, seconds);
            Console.WriteLine($"{algorithm.ToName(),-34} {signRate,10:F0} {verifyRate,10:F0}");
        }
        var (stockSign, stockVerify) = MeasureStockSm2Signer(message, seconds);
        Console.WriteLine($"{"SM2-SM3, BouncyCastle SM2Signer",-34} {stockSign,10:F0} {stockVerify,10:F0}");

        if (openssl)
        {
            await RunOpenSslSpeedAsync(seconds);
        }
        return 0;
    }

    /// <summary>Operations per second after a warm-up long enough for tiered JIT to finish.</summary>
    private static double Measure(Action operation, double seconds)
    {
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < Math.Min(1.0, seconds / 2))
        {
            operation();
        }
        var count = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed.TotalSeconds < seconds)
        {
            operation();
            count++;
        }
        return count / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The baseline: BouncyCastle's own SM2Signer on the same curve and message, used the usual
    /// way (a signer per operation, so Z_A is recomputed; the public point is reused).
    /// </summary>
    private static (double Sign, double Verify) MeasureStockSm2Signer(byte[] message, double seconds)
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

    private static async Task RunOpenSslSpeedAsync(double seconds)
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
        Console.WriteLine("openssl speed, one thread (sign/s, verify/s are the last two columns):");
        foreach (var line in output.Split('\n').Where(l => l.Contains(" bits ", StringComparison.Ordinal)))
        {
            Console.WriteLine("  " + line.Trim());
        }
    }

    private static byte[] SamplePae()
    {
        var document = new CertificateDocument
        {
            Number = "DL-S01-2024-000123K",
            HolderName = "王小明",
            HolderDocumentType = DocumentType.ResidentIdCard,
            HolderDocumentMasked = "21**************1X",
            HolderDocumentDigest = ByteString.CopyFrom(new byte[32]),
            HolderDocumentSalt = ByteString.CopyFrom(new byte[16]),
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
