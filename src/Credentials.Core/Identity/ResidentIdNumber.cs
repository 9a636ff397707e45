namespace Credentials.Core.Identity;

/// <summary>
/// The 18-character citizen identification number of GB 11643-1999 (居民身份证号码): a 6-digit
/// region code, an 8-digit birth date, a 3-digit sequence and a check character computed
/// with ISO 7064 MOD 11-2 (weights 2^(17-i) mod 11; the result maps to "10X98765432").
/// Residence permits of Hong Kong, Macao and Taiwan residents and the 2023 foreign permanent
/// residence ID use the same structure.
/// </summary>
public static class ResidentIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>The check character of the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    /// <summary>Null when <paramref name="number"/> (normalised, upper case) is well formed; otherwise why not.</summary>
    public static string? Check(string number, DateOnly today)
    {
        if (number.Length != 18)
        {
            return "must have 18 characters";
        }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(number[i]))
            {
                return "must be 17 digits followed by a digit or X";
            }
        }
        if (!char.IsAsciiDigit(number[17]) && number[17] != 'X')
        {
            return "must be 17 digits followed by a digit or X";
        }
        if (!TryBirthDate(number, out var birth))
        {
            return "has an invalid birth date";
        }
        if (birth > today || birth.Year < 1900)
        {
            return "has a birth date out of range";
        }
        return CheckCharacter(number) == number[17] ? null : "has a wrong check character";
    }

    /// <summary>The birth date in characters 7 to 14.</summary>
    public static bool TryBirthDate(string number, out DateOnly birth) =>
        DateOnly.TryParseExact(number.AsSpan(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out birth);
}
