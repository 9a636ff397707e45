using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Credentials.Core.Envelopes;

/// <summary>
/// Base45 (RFC 9285): two bytes to three characters of the QR alphanumeric alphabet, so a QR
/// code in alphanumeric mode holds the data compactly.
/// </summary>
public static class Base45
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private const int Radix = 45;

    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[data.Length / 2 * 3 + data.Length % 2 * 2];
        var c = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            var n = data[i] * 256 + data[i + 1];
            chars[c++] = Alphabet[n % Radix];
            chars[c++] = Alphabet[n / Radix % Radix];
            chars[c++] = Alphabet[n / (Radix * Radix)];
        }
        if (data.Length % 2 == 1)
        {
            var n = data[^1];
            chars[c++] = Alphabet[n % Radix];
            chars[c] = Alphabet[n / Radix];
        }
        return new string(chars);
    }

    /// <exception cref="FormatException">Not Base45; the message gives the position.</exception>
    public static byte[] Decode(ReadOnlySpan<char> text) =>
        TryDecode(text, out var data, out var error) ? data : throw new FormatException(error);

    /// <summary>Decodes strictly: only the 45 characters, no dangling character, no group above its byte range.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, [NotNullWhen(true)] out byte[]? data, [NotNullWhen(false)] out string? error)
    {
        data = null;
        if (text.Length % 3 == 1)
        {
            error = $"Base45 text of length {text.Length} ends with a single character.";
            return false;
        }
        var invalid = text.IndexOfAnyExcept(AlphabetValues);
        if (invalid >= 0)
        {
            error = $"Invalid Base45 character at position {invalid}.";
            return false;
        }
        var bytes = new byte[text.Length / 3 * 2 + (text.Length % 3 == 2 ? 1 : 0)];
        var b = 0;
        for (var i = 0; i < text.Length; i += 3)
        {
            var group = text.Slice(i, Math.Min(3, text.Length - i));
            var n = 0;
            for (var j = group.Length - 1; j >= 0; j--)
            {
                n = n * Radix + Alphabet.IndexOf(group[j], StringComparison.Ordinal);
            }
            if (group.Length == 3)
            {
                if (n > ushort.MaxValue)
                {
                    error = $"The Base45 group at position {i} encodes {n}, more than two bytes hold.";
                    return false;
                }
                bytes[b++] = (byte)(n >> 8);
                bytes[b++] = (byte)n;
            }
            else
            {
                if (n > byte.MaxValue)
                {
                    error = $"The final Base45 pair encodes {n}, more than one byte holds.";
                    return false;
                }
                bytes[b] = (byte)n;
            }
        }
        data = bytes;
        error = null;
        return true;
    }
}
