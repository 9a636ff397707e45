using System.CommandLine;
using System.Text.Json.Nodes;
using Credentials.Cli.Hosting;
using Credentials.V1;

namespace Credentials.Cli.Verification;

/// <summary><c>credctl keys list</c> and <c>credctl keys save FILE</c>: the published signing keys (ListSigningKeys).</summary>
internal static class KeysCommand
{
    public static Command Create(Credctl.Handlers handlers)
    {
        var list = new Command("list", "List the signing keys the service publishes");
        handlers.Set(list, async context =>
        {
            var response = await FetchAsync(context);
            if (context.Output.Json)
            {
                context.Output.WriteJson(response);
            }
            WriteKeys(context.Output, response);
            return ExitCodes.Ok;
        });

        var file = new Argument<string>("file") { Description = "Where to write the key set (JSON), e.g. keys.json" };
        var save = new Command("save", "Save the signing keys as a JSON key set for offline verification (verify-envelope --offline --keys FILE)") { file };
        handlers.Set(save, async context =>
        {
            var response = await FetchAsync(context);
            var path = context.Get(file)!;
            try
            {
                File.WriteAllText(path, KeySet.ToJson(response) + "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot write {path}: {e.Message}");
            }
            if (context.Output.Json)
            {
                context.Output.WriteJson(new JsonObject { ["file"] = path, ["keys"] = response.Keys.Count });
            }
            context.Output.Line($"Saved {response.Keys.Count} key(s) to {path}:");
            WriteKeys(context.Output, response);
            return ExitCodes.Ok;
        });

        return new Command("keys", "The service's signing keys, for offline verification") { list, save };
    }

    private static Task<ListSigningKeysResponse> FetchAsync(CommandContext context) =>
        context.Client.Verification.ListSigningKeysAsync(new ListSigningKeysRequest(), context.CallOptions).ResponseAsync;

    private static void WriteKeys(Output output, ListSigningKeysResponse response)
    {
        foreach (var key in response.Keys)
        {
            var line = $"  {key.KeyId}  {key.Algorithm}  valid from {Time(key.ValidFrom)}";
            if (key.ValidUntil is not null)
            {
                line += $" until {Time(key.ValidUntil)}";
            }
            if (key.CompromisedAt is not null)
            {
                line += $"  COMPROMISED at {Time(key.CompromisedAt)}";
            }
            output.Line(line);
        }
    }

    private static string Time(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
