using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Credentials.Core.Principals;

/// <summary>
/// Bearer tokens: "crd_" + 43 base62 characters of 256 random bits + 6 base62 characters of a
/// checksum (the first 32 bits of their SHA-256). The prefix lets secret scanners recognise a
/// leaked token; the checksum lets them (and us) tell a token from random text without a lookup.
/// </summary>
public static class AccessToken
{
    public const string Prefix = "crd_";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int SecretLength = 43;
    private const int ChecksumLength = 6;
    public const int Length = 4 + SecretLength + ChecksumLength;

    public static string Generate()
    {
        Span<char> secret = stackalloc char[SecretLength];
        for (var i = 0; i < secret.Length; i++)
        {
            secret[i] = Base62[RandomNumberGenerator.GetInt32(Base62.Length)];
        }
        var body = new string(secret);
        return Prefix + body + Checksum(body);
    }

    /// <summary>Prefix, length, alphabet and checksum are right (says nothing of whether it is issued).</summary>
    public static bool IsWellFormed(string? token)
    {
        if (token is null || token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in token.AsSpan(Prefix.Length))
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }
        var body = token.Substring(Prefix.Length, SecretLength);
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Checksum(body)),
            Encoding.ASCII.GetBytes(token[^ChecksumLength..]));
    }

    /// <summary>What the store keeps: SHA-256 of the token.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>A hint to recognise a token in lists without revealing it: "crd_…wxyz".</summary>
    public static string Hint(string token) => Prefix + "…" + token[^4..];

    private static string Checksum(string body)
    {
        var crc = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.ASCII.GetBytes(body)));
        Span<char> chars = stackalloc char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }
        return new string(chars);
    }
}
