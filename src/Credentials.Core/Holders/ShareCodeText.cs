using System.Security.Cryptography;
using System.Text;

namespace Credentials.Core.Holders;

/// <summary>
/// Share codes (在线验证码, as CHSI's): 80 random bits as 16 characters of Crockford's base32 (0-9 and A-Z without
/// I, L, O, U), written in four groups of four ("7KQM-2XWD-9FHT-A3CN"). Whoever has one verifies one certificate
/// with it alone, so it must not be guessable (2^80 codes against a rate-limited service) and must not be
/// recoverable from the store: only its SHA-256 is kept (a hash of 80 random bits cannot be searched). Reading is
/// forgiving as Crockford intends: case, hyphens and spaces are ignored, I and L read as 1, O as 0.
/// </summary>
public static class ShareCodeText
{
    public const int Characters = 16;

    public const int RandomBits = Characters * 5;

    /// <summary>The longest text accepted before normalisation (the code, separators and spaces).</summary>
    public const int MaxInputLength = 40;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new code, formatted.</summary>
    public static string Generate()
    {
        Span<byte> random = stackalloc byte[RandomBits / 8];
        RandomNumberGenerator.Fill(random);
        var code = new StringBuilder(Characters + 3);
        // 10 bytes are 80 bits: two 40-bit halves of 8 characters each.
        for (var half = 0; half < 2; half++)
        {
            ulong bits = 0;
            for (var i = 0; i < 5; i++)
            {
                bits = bits << 8 | random[half * 5 + i];
            }
            for (var c = 7; c >= 0; c--)
            {
                if (code.Length is 4 or 9 or 14)
                {
                    code.Append('-');
                }
                code.Append(Alphabet[(int)(bits >> (c * 5)) & 31]);
            }
        }
        return code.ToString();
    }

    /// <summary>The canonical 16 characters of a code as someone typed it, or null with why not.</summary>
    public static string? Normalize(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "is required";
            return null;
        }
        if (text.Length > MaxInputLength)
        {
            error = $"must be a share code of {Characters} characters (at most {MaxInputLength} with separators)";
            return null;
        }
        var code = new StringBuilder(Characters);
        foreach (var raw in text)
        {
            if (raw is '-' or ' ')
            {
                continue;
            }
            var c = char.ToUpperInvariant(raw) switch
            {
                'I' or 'L' => '1',
                'O' => '0',
                var other => other,
            };
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                error = "may only contain the letters and digits of a share code (Crockford base32) and hyphens";
                return null;
            }
            code.Append(c);
        }
        if (code.Length != Characters)
        {
            error = $"must have {Characters} characters (not counting hyphens)";
            return null;
        }
        return code.ToString();
    }

    /// <summary>What the store keeps of a normalised code.</summary>
    public static byte[] Hash(string normalized) => SHA256.HashData(Encoding.ASCII.GetBytes(normalized));
}
