using System.Globalization;
using System.Text;
using Credentials.Core.Validation;

namespace Credentials.Core.Identity;

/// <summary>
/// A person's name as on the identity document: letters of any script, combining marks,
/// spaces and the separators of transliterated names (·, ., -, '), 1 to 50 characters.
/// </summary>
public static class HolderName
{
    public static string? Check(string name)
    {
        var text = Text.Check(name, 1, 50);
        if (text is not null)
        {
            return text;
        }
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var allowed = Rune.IsLetter(rune)
                || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                || rune.Value is ' ' or '·' or '•' or '.' or '-' or '\'' or '\u30FB';
            if (!allowed)
            {
                return "may only contain letters, spaces and the separators · . - '";
            }
        }
        return null;
    }
}
