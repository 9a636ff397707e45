using System.Globalization;

namespace Credentials.Core.Certificates;

/// <summary>
/// Certificate numbers: <c>{committee code}-{review year}-{serial:D6}{check}</c>, e.g.
/// "DL-S01-2024-000123K". The check character is ISO 7064 MOD 37-36 (the hybrid system over
/// 0-9A-Z) computed over the number's letters and digits with the hyphens left out, so any
/// single mistyped character and any swap of two adjacent characters is detected.
/// </summary>
public static class CertificateNumber
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const int Modulus = 36;
    public const int MaxSerial = 999_999;

    public static string Format(string committeeCode, int reviewYear, int serial)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(serial, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(serial, MaxSerial);
        var body = string.Create(CultureInfo.InvariantCulture, $"{committeeCode}-{reviewYear:D4}-{serial:D6}");
        return body + CheckCharacter(body);
    }

    /// <summary>The check character of a number without it (hyphens are skipped).</summary>
    public static char CheckCharacter(ReadOnlySpan<char> body)
    {
        var p = Modulus;
        foreach (var c in body)
        {
            if (c == '-')
            {
                continue;
            }
            var value = Alphabet.IndexOf(c);
            if (value < 0)
            {
                throw new ArgumentException($"'{c}' is not a letter or digit.", nameof(body));
            }
            var s = (p + value) % Modulus;
            p = (s == 0 ? Modulus : s) * 2 % (Modulus + 1);
        }
        return Alphabet[(Modulus + 1 - p) % Modulus];
    }

    /// <summary>
    /// Parses and checks a number (upper-cased, trimmed); null with an error when it is malformed
    /// or its check character is wrong.
    /// </summary>
    public static ParsedCertificateNumber? Parse(string? text, out string? error)
    {
        var number = (text ?? "").Trim().ToUpperInvariant();
        error = null;
        // code (>= 2) + "-" + 4 + "-" + 6 + 1
        if (number.Length < 15 || number.Length > 40)
        {
            error = "must look like DL-S01-2024-000123K";
            return null;
        }
        var serialPart = number.AsSpan(number.Length - 7);
        var yearSeparator = number.Length - 8;
        var codeSeparator = number.Length - 13;
        if (number[yearSeparator] != '-' || number[codeSeparator] != '-'
            || !int.TryParse(number.AsSpan(codeSeparator + 1, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(serialPart[..6], NumberStyles.None, CultureInfo.InvariantCulture, out var serial)
            || serial < 1)
        {
            error = "must look like DL-S01-2024-000123K";
            return null;
        }
        var code = number[..codeSeparator];
        if (Committees.CommitteeCode.Check(code) is not null)
        {
            error = "must begin with a valid committee code";
            return null;
        }
        if (CheckCharacter(number.AsSpan(0, number.Length - 1)) != number[^1])
        {
            error = "has a wrong check character (mistyped?)";
            return null;
        }
        return new ParsedCertificateNumber(number, code, year, serial);
    }
}

/// <summary>A well-formed certificate number and its parts.</summary>
public sealed record ParsedCertificateNumber(string Number, string CommitteeCode, int ReviewYear, int Serial);
