using System.Text;
using System.Text.Json.Nodes;
using Credentials.Cli.Hosting;

namespace Credentials.Cli.Tests;

/// <summary>The outcome of one credctl run: exit code and what it printed.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>Standard output as the JSON document --json prints.</summary>
    public JsonNode Json => JsonNode.Parse(Out) ?? throw new InvalidOperationException("no JSON output");

    public override string ToString() => $"exit {ExitCode}\n--- out\n{Out}\n--- error\n{Error}";

    /// <summary>Runs credctl in-process with its own streams and environment (nothing of the test process's).</summary>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string>? environment, byte[]? standardInput, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, new StringReader(""), name => environment?.GetValueOrDefault(name), ErrorIsTerminal: false)
        {
            OpenStandardInput = () => new MemoryStream(standardInput ?? []),
        };
        var code = await Credctl.RunAsync(args, console);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(null, null, args);
}
