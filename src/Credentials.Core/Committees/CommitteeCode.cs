namespace Credentials.Core.Committees;

/// <summary>Committee codes: 2 to 20 characters of A-Z and 0-9 in groups joined by single hyphens, e.g. "DL-S01".</summary>
public static class CommitteeCode
{
    public static string Normalize(string? code) => (code ?? "").Trim().ToUpperInvariant();

    public static string? Check(string code)
    {
        if (code.Length is < 2 or > 20)
        {
            return "must have 2 to 20 characters";
        }
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '-')
            {
                if (i == 0 || i == code.Length - 1 || code[i - 1] == '-')
                {
                    return "may have hyphens only between letters or digits";
                }
            }
            else if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
            {
                return "may only contain A-Z, 0-9 and hyphens";
            }
        }
        return null;
    }
}
