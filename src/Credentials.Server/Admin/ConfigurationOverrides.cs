using System.Reflection;
using Credentials.Server.Hosting;

namespace Credentials.Server.Admin;

/// <summary>
/// Separates settings written on the command line (<c>--Tls:CertificatePath=server.crt</c>,
/// <c>--Logging:LogLevel:Default Warning</c>, <c>--AllowInsecureRemote=true</c>) from the words and
/// options of the command itself. Settings go to the configuration, as <c>AddCommandLine</c> reads
/// them; everything else is parsed strictly, so a mistyped option is an error, not a silent setting.
/// </summary>
public static class ConfigurationOverrides
{
    /// <summary>The top-level settings of the host that may be given without a section (--AllowInsecureRemote=true).</summary>
    private static readonly HashSet<string> TopLevel = typeof(ServerOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType.IsValueType || p.PropertyType == typeof(string))
        .Select(p => p.Name)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Splits <paramref name="args"/> into the command line proper and the settings (each as
    /// <c>--Key=value</c>, in order). A setting is an option named <c>Section:Key</c> (any depth) or a
    /// top-level host setting; its value follows an <c>=</c> or is the next word. After <c>--</c>
    /// nothing is taken as a setting.
    /// </summary>
    /// <returns>False, with the reason in <paramref name="error"/>, when a setting has no value.</returns>
    public static bool TrySplit(string[] args, out string[] commandLine, out string[] settings, out string? error)
    {
        var rest = new List<string>();
        var found = new List<string>();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var token = args[i];
            if (token == "--")
            {
                rest.AddRange(args[i..]);
                break;
            }
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            var key = token.StartsWith("--", StringComparison.Ordinal) ? token[2..(equals < 0 ? token.Length : equals)] : "";
            if (!IsSettingKey(key))
            {
                rest.Add(token);
                continue;
            }
            if (equals >= 0)
            {
                found.Add(token);
            }
            else if (i + 1 < args.Length)
            {
                found.Add($"--{key}={args[++i]}");
            }
            else
            {
                error = $"The setting {token} needs a value ({token}=VALUE).";
                break;
            }
        }
        commandLine = [.. rest];
        settings = [.. found];
        return error is null;
    }

    private static bool IsSettingKey(string key) =>
        key.Contains(':', StringComparison.Ordinal)
            ? char.IsAsciiLetter(key[0]) && key.Split(':').All(IsPathSegment)
            : TopLevel.Contains(key);

    /// <summary>A section, key or array index: Tls, CertificatePath, 0.</summary>
    private static bool IsPathSegment(string part) => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
