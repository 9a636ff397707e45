using Credentials.Bench;

// Each benchmark is a command; `credentials-bench` alone lists them.
var commands = new Dictionary<string, IBenchCommand>(StringComparer.Ordinal)
{
    ["crypto"] = new CryptoBenchmark(),
    ["generate"] = new GenerateCommand(),
    ["issuance"] = new IssuanceBenchmark(),
    ["ledger"] = new LedgerBenchmark(),
    ["verification"] = new VerificationBenchmark(),
    ["ledger-append"] = new LedgerAppendBenchmark(),
    ["ledger-proofs"] = new LedgerProofBenchmark(),
    ["ledger-stream"] = new LedgerStreamBenchmark(),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine("usage: credentials-bench <command> [options]");
    foreach (var (name, c) in commands.OrderBy(c => c.Key))
    {
        Console.Error.WriteLine($"  {name,-20} {c.Description}");
    }
    return 2;
}
return await command.RunAsync(args[1..]);
