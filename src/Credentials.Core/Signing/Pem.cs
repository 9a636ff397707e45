using System.Security.Cryptography;

namespace Credentials.Core.Signing;

/// <summary>Finds the one PEM block with an expected label.</summary>
internal static class Pem
{
    /// <summary>The first PEM block's label (one of <paramref name="labels"/>) and content.</summary>
    /// <exception cref="FormatException">No PEM block, or one with another label.</exception>
    public static (string Label, byte[] Der) Decode(string pem, params ReadOnlySpan<string> labels)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new FormatException($"No PEM block found; expected {string.Join(" or ", labels.ToArray())}.");
        }
        var label = pem.AsSpan()[fields.Label];
        foreach (var expected in labels)
        {
            if (label.SequenceEqual(expected))
            {
                return (expected, Convert.FromBase64String(pem[fields.Base64Data]));
            }
        }
        throw new FormatException($"Found PEM {label}; expected {string.Join(" or ", labels.ToArray())}.");
    }
}
