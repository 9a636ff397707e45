using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Credentials.Bench;

/// <summary>
/// `crypto --check-jit`: runs the crypto benchmark briefly in a child process with the JIT's
/// disassembly switched on (once fully optimised, once through the tiers) and checks that the
/// constant-time leaves of SM2 signing (Montgomery arithmetic mod p and n, the UInt256
/// carry/borrow/mask/select helpers) contain no conditional jump in any compiled version.
/// Loops and bounds checks in the composite methods (the window loop, the inversion chain) are
/// legitimate and not checked here: docs/SECURITY.md, "Signing keys and SM2".
/// </summary>
internal static partial class CryptoJitCheck
{
    private const string Methods =
        "Multiply Square Add Subtract Negate Reduce ToMontgomery FromMontgomery Select AddWithCarry SubtractWithBorrow MultiplyAdd IsZeroMask EqualMask LessThanMask Bit ConditionalNegate";

    public static async Task<int> RunAsync()
    {
        var failures = 0;
        foreach (var tiered in new[] { false, true })
        {
            var listings = await DisassembleAsync(tiered);
            var checkedListings = listings.Where(l => IsLeaf(l.Method)).ToList();
            Console.WriteLine($"{(tiered ? "tiered (Tier0, instrumented, Tier1)" : "DOTNET_TieredCompilation=0 (FullOpts)")}: {checkedListings.Count} listings of constant-time leaves");
            if (checkedListings.Count == 0 || !checkedListings.Any(l => l.Method.Contains("Montgomery`1[", StringComparison.Ordinal)))
            {
                Console.WriteLine("  FAIL: the Montgomery arithmetic was not compiled in the child run");
                failures++;
            }
            foreach (var (method, jumps) in checkedListings.Where(l => l.Jumps.Count > 0))
            {
                Console.WriteLine($"  FAIL {method}: {string.Join("; ", jumps)}");
                failures++;
            }
        }
        Console.WriteLine(failures == 0 ? "no conditional jumps in the constant-time leaves" : $"{failures} problem(s)");
        return failures == 0 ? 0 : 1;
    }

    private static bool IsLeaf(string method) =>
        method.StartsWith("Credentials.Core.Signing.Sm2.Montgomery`1[", StringComparison.Ordinal)
        || method.StartsWith("Credentials.Core.Signing.Sm2.UInt256:", StringComparison.Ordinal)
        || method.StartsWith("Credentials.Core.Signing.Sm2.ProjectivePoint:ConditionalNegate", StringComparison.Ordinal);

    private static async Task<List<(string Method, List<string> Jumps)>> DisassembleAsync(bool tiered)
    {
        var output = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                start.ArgumentList.Add(typeof(CryptoJitCheck).Assembly.Location);
            }
            foreach (var argument in new[] { "crypto", "--seconds", "0.5" })
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["DOTNET_JitDisasm"] = Methods;
            start.Environment["DOTNET_JitStdOutFile"] = output;
            start.Environment["DOTNET_TieredCompilation"] = tiered ? "1" : "0";
            using var process = Process.Start(start)!;
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var text = await File.ReadAllTextAsync(output);
            return [.. text.Split("; Assembly listing for method ").Skip(1).Select(listing =>
            {
                var method = listing[..listing.IndexOf('\n', StringComparison.Ordinal)].Trim();
                var jumps = ConditionalJump().Matches(listing).Select(m => m.Value.Trim()).ToList();
                return (method, jumps);
            })];
        }
        finally
        {
            File.Delete(output);
        }
    }

    // jcc (any conditional jump: je, jne, jb, jae, jl, ...), not jmp.
    [GeneratedRegex(@"^\s+j(?!mp\b)[a-z]+\s.*$", RegexOptions.Multiline)]
    private static partial Regex ConditionalJump();
}
