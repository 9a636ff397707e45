using System.CommandLine;
using System.Text.Json.Nodes;
using Grpc.Core;

namespace Credentials.Cli.Hosting;

/// <summary>One run of one command: its parsed options, output, and (when it calls the server) a client.</summary>
internal sealed class CommandContext(ParseResult parse, GlobalOptions options, CliConsole console, CancellationToken cancellation) : IDisposable
{
    private ServiceClient? _client;

    public ParseResult Parse { get; } = parse;

    public CliConsole Console { get; } = console;

    public Output Output { get; } = new(console, parse.GetValue(options.Json));

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>The bearer token from --token or CREDENTIALS_TOKEN, if any.</summary>
    public string? Token => Parse.GetValue(options.Token) ?? NonEmpty(Console.GetEnvironmentVariable(GlobalOptions.TokenVariable));

    /// <summary>The server from --server, CREDENTIALS_URL or the default; created on first use.</summary>
    public ServiceClient Client => _client ??= new ServiceClient(
        Parse.GetValue(options.Server) ?? NonEmpty(Console.GetEnvironmentVariable(GlobalOptions.ServerVariable)) ?? GlobalOptions.DefaultServer,
        Token,
        Parse.GetValue(options.Ca),
        Parse.GetValue(options.Certificate),
        Parse.GetValue(options.Key),
        Timeout());

    /// <summary>The options of the next call: its deadline (--timeout from now) and the command's cancellation.</summary>
    public CallOptions CallOptions => Client.Call(Cancellation);

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>Reports a wrong command line or input: exit code 1.</summary>
    public int UsageError(string message)
    {
        WriteError("USAGE", message, ExitCodes.Usage, null, []);
        return ExitCodes.Usage;
    }

    /// <summary>Reports a failed call with its status, reason and offending fields.</summary>
    public int CallFailed(RpcException e)
    {
        var exitCode = ExitCodes.ForStatus(e.StatusCode);
        var details = e.GetRpcStatus();
        var fields = details?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.Select(v => (v.Field, v.Description)).ToList() ?? [];
        // google.rpc.Code spells the codes as gRPC documents them: "UNAVAILABLE", "INVALID_ARGUMENT".
        WriteError(EnumNames.Short((Google.Rpc.Code)e.StatusCode), e.Status.Detail, exitCode, details?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason, fields);
        return exitCode;
    }

    public void Dispose() => _client?.Dispose();

    private void WriteError(string code, string message, int exitCode, string? reason, IReadOnlyList<(string Field, string Description)> fields)
    {
        if (Output.Json)
        {
            var error = new JsonObject { ["code"] = code, ["message"] = message, ["exitCode"] = exitCode };
            if (!string.IsNullOrEmpty(reason))
            {
                error["reason"] = reason;
            }
            if (fields.Count > 0)
            {
                error["fields"] = new JsonArray(fields.Select(f => (JsonNode)new JsonObject { ["field"] = f.Field, ["description"] = f.Description }).ToArray());
            }
            Output.WriteJson(new JsonObject { ["error"] = error });
            return;
        }
        Console.Error.WriteLine(reason is null ? $"credctl: {code}: {message}" : $"credctl: {code} ({reason}): {message}");
        foreach (var (field, description) in fields)
        {
            Console.Error.WriteLine($"  {field}: {description}");
        }
    }

    private TimeSpan Timeout()
    {
        var seconds = Parse.GetValue(options.Timeout);
        return seconds is > 0 and <= 3600 ? TimeSpan.FromSeconds(seconds) : throw new UsageException("--timeout must be between 0 and 3600 seconds.");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
