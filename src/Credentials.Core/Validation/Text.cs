using System.Globalization;
using System.Text;

namespace Credentials.Core.Validation;

/// <summary>Checks of free-text fields: length in characters (not bytes), valid Unicode, no control characters.</summary>
public static class Text
{
    /// <summary>Null when valid; otherwise why not. Normalise with <see cref="Normalize"/> first.</summary>
    public static string? Check(string? value, int min, int max)
    {
        value ??= "";
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
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
