using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Credentials.Cli.Hosting;

/// <summary>Writes results: human text, or with --json one indented JSON document per command.</summary>
internal sealed class Output(CliConsole console, bool json)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Names and titles are Chinese: keep them readable rather than \uXXXX.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public bool Json { get; } = json;

    public TextWriter Out => console.Out;

    public TextWriter Error => console.Error;

    /// <summary>A protobuf message in its canonical JSON mapping (camelCase names, enum names, RFC 3339 times).</summary>
    public static JsonNode ToNode(IMessage message) => JsonNode.Parse(Formatter.Format(message))!;

    public void WriteJson(JsonNode node) => console.Out.WriteLine(node.ToJsonString(Indented));

    public void WriteJson(IMessage message) => WriteJson(ToNode(message));

    /// <summary>Text lines, printed only without --json.</summary>
    public void Line(string text = "")
    {
        if (!Json)
        {
            console.Out.WriteLine(text);
        }
    }

    /// <summary>"label: value" lines aligned, skipping empty values.</summary>
    public void Fields(params (string Label, string? Value)[] fields)
    {
        if (Json)
        {
            return;
        }
        var width = fields.Where(f => !string.IsNullOrEmpty(f.Value)).Select(f => f.Label.Length).DefaultIfEmpty(0).Max();
        foreach (var (label, value) in fields)
        {
            if (!string.IsNullOrEmpty(value))
            {
                console.Out.WriteLine($"  {(label + ":").PadRight(width + 1)} {value}");
            }
        }
    }
}
