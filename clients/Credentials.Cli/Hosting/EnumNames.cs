using System.Reflection;
using Google.Protobuf.Reflection;

namespace Credentials.Cli.Hosting;

/// <summary>
/// Protobuf enum values on the command line and in CSV files: the proto name
/// ("TITLE_LEVEL_DEPUTY_SENIOR") or its short form in any case, with '-' or '_'
/// ("deputy-senior", "DEPUTY_SENIOR").
/// </summary>
internal static class EnumNames
{
    /// <summary>The short form of a value, e.g. "DEPUTY_SENIOR" for TitleLevel.DeputySenior.</summary>
    public static string Short<T>(T value) where T : struct, Enum
    {
        var name = ProtoName(value);
        var prefix = Prefix<T>();
        return name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
    }

    /// <summary>Parses a value other than *_UNSPECIFIED.</summary>
    /// <exception cref="UsageException">Not a value of <typeparamref name="T"/>; the message lists the values.</exception>
    public static T Parse<T>(string? text, string what) where T : struct, Enum
    {
        try
        {
            return ParseValue<T>(text ?? "");
        }
        catch (FormatException e)
        {
            throw new UsageException($"{what}: {e.Message}");
        }
    }

    /// <exception cref="FormatException">Not a value of <typeparamref name="T"/>; the message lists the values.</exception>
    public static T ParseValue<T>(string text) where T : struct, Enum
    {
        var wanted = text.Trim().Replace('-', '_').ToUpperInvariant();
        var prefix = Prefix<T>();
        foreach (var value in Enum.GetValues<T>())
        {
            var name = ProtoName(value);
            if (Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) != 0 && (name == wanted || name == prefix + wanted))
            {
                return value;
            }
        }
        throw new FormatException($"'{text}' is not one of {string.Join(", ", Choices<T>())}");
    }

    /// <summary>The short forms in lower case with dashes, as help texts show them.</summary>
    public static IEnumerable<string> Choices<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Where(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) != 0)
            .Select(v => Short(v).ToLowerInvariant().Replace('_', '-'));

    private static string ProtoName<T>(T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? value.ToString();

    /// <summary>The common prefix, taken from the *_UNSPECIFIED value: "TITLE_LEVEL_".</summary>
    private static string Prefix<T>() where T : struct, Enum
    {
        var unspecified = ProtoName(default(T));
        return unspecified.EndsWith("UNSPECIFIED", StringComparison.Ordinal) ? unspecified[..^"UNSPECIFIED".Length] : "";
    }
}
