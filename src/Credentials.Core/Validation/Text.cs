using System.Globalization;
using System.Text;

namespace Credentials.Core.Validation;

/// <summary>
/// Checks of free-text fields: length in characters (not bytes), valid Unicode, no control
/// characters, no U+FFFD. Every text a request carries into the store, a ledger event or a
/// signed document goes through <see cref="Check"/>.
/// </summary>
/// <remarks>
/// Invalid UTF-8: protobuf's C# runtime decodes a string field with replacement, so the bytes
/// that are not UTF-8 arrive here as U+FFFD and cannot be told from a U+FFFD that was sent.
/// The contract forbids U+FFFD in text (it is never part of a name, a title or a document
/// number, only the mark of text that was mis-decoded somewhere, by us or upstream), so
/// refusing it refuses invalid UTF-8 whatever the transport (gRPC, gRPC-Web, JSON), and
/// without a decoder of our own in front of the generated parsers.
/// </remarks>
public static class Text
{
    /// <summary>U+FFFD REPLACEMENT CHARACTER: what a decoder puts where the bytes were not valid UTF-8.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary>The description of a text that holds <see cref="Replacement"/>.</summary>
    public const string NotUtf8 = "must be valid UTF-8 (it contains U+FFFD, the mark of bytes that were not)";

    /// <summary>Null when valid; otherwise why not. Normalise with <see cref="Normalize"/> first.</summary>
    public static string? Check(string? value, int min, int max)
    {
        value ??= "";
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == Replacement)
            {
                return NotUtf8;
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return "must be valid Unicode";
            }
            if (char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return "must not contain control or format characters";
            }
        }
        var length = new StringInfo(value).LengthInTextElements;
        if (length < min)
        {
            return min == 1 ? "is required" : $"must have at least {min} characters";
        }
        return length > max ? $"must have at most {max} characters" : null;
    }

    /// <summary>NFC and trimmed, so that equal text compares equal. Invalid Unicode is left for <see cref="Check"/> to report.</summary>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        try
        {
            return value.Normalize(NormalizationForm.FormC).Trim();
        }
        catch (ArgumentException)
        {
            return value.Trim();
        }
    }
}
