using System.CommandLine;
using Credentials.Bench;

// Each benchmark is a command; `credentials-bench --help` lists them, `credentials-bench NAME --help` their options.
var root = new RootCommand("credentials-bench: the benchmarks and generators of bench/README.md (build and run in Release)")
{
    CryptoBenchmark.Create(),
    GenerateCommand.Create(),
    IssuanceBenchmark.Create(),
    LedgerBenchmark.Create(),
    LedgerAppendBenchmark.Create(),
    LedgerProofBenchmark.Create(),
    LedgerStreamBenchmark.Create(),
    VerificationBenchmark.Create(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"credentials-bench: {error.Message}");
    }
    Console.Error.WriteLine("usage: credentials-bench <command> [options]; credentials-bench --help lists the commands");
    return 2;
}
return await parsed.InvokeAsync();
