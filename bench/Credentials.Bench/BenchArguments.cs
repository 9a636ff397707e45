using System.Globalization;

namespace Credentials.Bench;

/// <summary>"--name value" options with defaults; unknown options are an error (returns null after printing it).</summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values;

    private BenchArguments(Dictionary<string, string> values) => _values = values;

    public static BenchArguments? Parse(string[] args, Dictionary<string, string> defaults)
    {
        var values = new Dictionary<string, string>(defaults, StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (name is null || !values.ContainsKey(name) || i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"unknown or incomplete option {args[i]}; options: {string.Join(' ', defaults.Keys.Select(k => "--" + k))}");
                return null;
            }
            values[name] = args[++i];
        }
        return new BenchArguments(values);
    }

    public string Get(string name) => _values[name];

    public int Int(string name) => int.Parse(_values[name], CultureInfo.InvariantCulture);
}
