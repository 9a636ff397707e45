using System.Text;
using Credentials.V1;

namespace Credentials.Core.Identity;

/// <summary>
/// An identity document number, normalised (NFKC so full-width digits become ASCII, trimmed,
/// upper case) and checked by the format of its kind. The number itself is personal data: it
/// is only ever kept as a keyed digest and a masked form.
/// </summary>
public static class IdentityDocument
{
    private static readonly HashSet<string> ProvinceCodes =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    ];

    public static string Normalize(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return "";
        }
        try
        {
            return number.Normalize(NormalizationForm.FormKC).Trim().ToUpperInvariant();
        }
        catch (ArgumentException)
        {
            return number.Trim().ToUpperInvariant();
        }
    }

    /// <summary>Null when the normalised number fits its document type; otherwise why not.</summary>
    public static string? Check(DocumentType type, string number, DateOnly today)
    {
        if (number.Length == 0)
        {
            return "is required";
        }
        if (number.Length > 20)
        {
            return "must have at most 20 characters";
        }
        return type switch
        {
            DocumentType.ResidentIdCard => ResidentIdNumber.Check(number, today)
                ?? (ProvinceCodes.Contains(number[..2]) ? null : "has an unknown region code"),
            DocumentType.HmtResidencePermit => number.StartsWith("810000", StringComparison.Ordinal)
                || number.StartsWith("820000", StringComparison.Ordinal)
                || number.StartsWith("830000", StringComparison.Ordinal)
                    ? ResidentIdNumber.Check(number, today)
                    : "must begin with 810000, 820000 or 830000",
            DocumentType.ForeignPermanentResidentId => number.Length == 18
                ? (number[0] == '9' ? ResidentIdNumber.Check(number, today) : "must begin with 9 (2023 format)")
                : Matches(number, 15, 15, static (c, i) => i < 3 ? char.IsAsciiLetterUpper(c) : char.IsAsciiDigit(c))
                    ? null
                    : "must be 18 characters (2023 format) or 3 letters and 12 digits (2017 format)",
            DocumentType.Passport => Matches(number, 6, 17, static (c, _) => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c))
                ? null
                : "must be 6 to 17 letters or digits",
            DocumentType.HkMacaoPermit => Matches(number, 9, 11, static (c, i) => i == 0 ? c is 'H' or 'M' : char.IsAsciiDigit(c))
                && number.Length != 10
                    ? null
                    : "must be H or M followed by 8 or 10 digits",
            DocumentType.TaiwanPermit => Matches(number, 8, 10, static (c, _) => char.IsAsciiDigit(c)) && number.Length != 9
                ? null
                : "must be 8 or 10 digits",
            _ => "has an unknown document type",
        };
    }

    /// <summary>All but the first two and last two characters masked (one and one for short numbers).</summary>
    public static string Mask(string number)
    {
        var keep = number.Length >= 8 ? 2 : 1;
        if (number.Length <= keep * 2)
        {
            return new string('*', number.Length);
        }
        return string.Concat(number.AsSpan(0, keep), new string('*', number.Length - keep * 2), number.AsSpan(number.Length - keep));
    }

    private static bool Matches(string number, int min, int max, Func<char, int, bool> allowed)
    {
        if (number.Length < min || number.Length > max)
        {
            return false;
        }
        for (var i = 0; i < number.Length; i++)
        {
            if (!allowed(number[i], i))
            {
                return false;
            }
        }
        return true;
    }
}
