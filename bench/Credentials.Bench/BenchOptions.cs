using System.CommandLine;
using System.Numerics;

namespace Credentials.Bench;

/// <summary>The options benchmarks share the shape of: counts with a default and a lower bound, checked when parsed.</summary>
internal static class BenchOptions
{
    /// <summary>"--name N", at least <paramref name="minimum"/>; a smaller value is a usage error naming the option.</summary>
    public static Option<T> Count<T>(string name, T defaultValue, string description, T? minimum = null) where T : struct, INumber<T>
    {
        var least = minimum ?? T.One;
        var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() < least)
            {
                result.AddError($"{name} must be at least {least}.");
            }
        });
        return option;
    }
}
