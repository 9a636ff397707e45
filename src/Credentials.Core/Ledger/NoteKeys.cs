using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Credentials.Core.Ledger;

/// <summary>
/// The key conventions of c2sp.org/signed-note and golang.org/x/mod/sumdb/note: names, key ids and the
/// "name+hexkeyid+base64(type||key)" strings.
/// </summary>
internal static class NoteKeys
{
    /// <summary>The signature type byte of Ed25519 note signatures.</summary>
    public const byte Ed25519Type = 0x01;

    /// <summary>Non-empty, no Unicode space, no '+', no control character, no unpaired surrogate.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.Value == '+' || Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || rune == Rune.ReplacementChar)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>key ID = SHA-256(key name || 0x0A || type || public key)[:4], big-endian.</summary>
    public static uint KeyId(string name, ReadOnlySpan<byte> typedPublicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 1 + typedPublicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = (byte)'\n';
        typedPublicKey.CopyTo(input.AsSpan(nameBytes.Length + 1));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    /// <summary>"name+hexkeyid+base64(type||key)".</summary>
    public static string Format(string name, uint keyId, ReadOnlySpan<byte> typedKey) =>
        $"{name}+{keyId:x8}+{Convert.ToBase64String(typedKey)}";

    /// <summary>
    /// Splits "name+hexkeyid+base64(type||key)" and checks its syntax; the caller checks the key id, which
    /// for a private key needs the derived public key.
    /// </summary>
    public static (string Name, uint KeyId, byte[] Key) Parse(string encoded, string what)
    {
        // The name holds no '+', the key id neither; base64 may, so split at the first two only.
        var parts = encoded.Split('+', 3);
        if (parts.Length != 3 || !IsValidName(parts[0]))
        {
            throw new FormatException($"{what}: expected name+keyid+key with a name free of spaces and '+'");
        }
        if (parts[1].Length != 8 || !parts[1].All(char.IsAsciiHexDigit))
        {
            throw new FormatException($"{what}: key id must be 8 hex digits");
        }
        if (!TryDecodeBase64(parts[2], out var key) || key.Length != 33 || key[0] != Ed25519Type)
        {
            throw new FormatException($"{what}: key must be base64 of 0x01 (Ed25519) and 32 key bytes");
        }
        return (parts[0], Convert.ToUInt32(parts[1], 16), key);
    }

    /// <summary>Standard base64 in its one canonical spelling: no whitespace, correct padding, zero pad bits.</summary>
    public static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length / 4 * 3];
        if (text.Length % 4 != 0 || !Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = [];
            return false;
        }
        bytes = bytes[..written];
        return Convert.ToBase64String(bytes) == text;
    }
}
