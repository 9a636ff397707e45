using System.Diagnostics.CodeAnalysis;

namespace Credentials.Core.Signing;

/// <summary>
/// The stable names of <see cref="SigningAlgorithm"/> values, as configuration files and
/// <c>ListSigningKeys</c> spell them. Never change a published name.
/// </summary>
public static class SigningAlgorithmNames
{
    public const string Sm2Sm3 = "SM2-SM3";
    public const string EcdsaP256Sha256 = "ECDSA-P256-SHA256";
    public const string Ed25519 = "Ed25519";

    /// <summary>The algorithm's stable name.</summary>
    public static string ToName(this SigningAlgorithm algorithm) => algorithm switch
    {
        SigningAlgorithm.Sm2Sm3 => Sm2Sm3,
        SigningAlgorithm.EcdsaP256Sha256 => EcdsaP256Sha256,
        SigningAlgorithm.Ed25519 => Ed25519,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown signing algorithm."),
    };

    /// <summary>Parses a stable name (exact, case-sensitive).</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, out SigningAlgorithm algorithm)
    {
        algorithm = name switch
        {
            Sm2Sm3 => SigningAlgorithm.Sm2Sm3,
            EcdsaP256Sha256 => SigningAlgorithm.EcdsaP256Sha256,
            Ed25519 => SigningAlgorithm.Ed25519,
            _ => default,
        };
        return algorithm != default;
    }
}
