using System.Buffers;
using System.Security.Cryptography;

namespace Credentials.Core.Signing;

/// <summary>
/// Key ids: <c>{sm2|p256|ed25519}-</c> and the first 16 lowercase hex digits of
/// SHA-256(SubjectPublicKeyInfo DER). Derived from the public key, so anyone holding the
/// key can recompute and check the id.
/// </summary>
public static class KeyIds
{
    private const int HashHexDigits = 16;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>The id of the public key with this SubjectPublicKeyInfo.</summary>
    public static string Compute(SigningAlgorithm algorithm, ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(subjectPublicKeyInfo, hash);
        return Prefix(algorithm) + "-" + Convert.ToHexStringLower(hash[..(HashHexDigits / 2)]);
    }

    /// <summary>
    /// Checks the shape of a key id (prefix, dash, 16 lowercase hex digits) and returns the
    /// algorithm its prefix names. Safe to use before a key id becomes part of a file name.
    /// </summary>
    public static bool TryGetAlgorithm(string? keyId, out SigningAlgorithm algorithm)
    {
        algorithm = default;
        var dash = keyId?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        if (dash < 0 || keyId!.Length - dash - 1 != HashHexDigits || keyId.AsSpan(dash + 1).ContainsAnyExcept(LowerHex))
        {
            return false;
        }
        algorithm = keyId[..dash] switch
        {
            "sm2" => SigningAlgorithm.Sm2Sm3,
            "p256" => SigningAlgorithm.EcdsaP256Sha256,
            "ed25519" => SigningAlgorithm.Ed25519,
            _ => default,
        };
        return algorithm != default;
    }

    private static string Prefix(SigningAlgorithm algorithm) => algorithm switch
    {
        SigningAlgorithm.Sm2Sm3 => "sm2",
        SigningAlgorithm.EcdsaP256Sha256 => "p256",
        SigningAlgorithm.Ed25519 => "ed25519",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown signing algorithm."),
    };
}
