namespace Credentials.Core.Signing;

/// <summary>The signature algorithms a certificate may be signed with.</summary>
public enum SigningAlgorithm
{
    /// <summary>SM2 with SM3 (GB/T 32918), distinguishing ID "1234567812345678", DER signature. The default.</summary>
    Sm2Sm3 = 1,

    /// <summary>ECDSA on NIST P-256 with SHA-256, DER signature.</summary>
    EcdsaP256Sha256 = 2,

    /// <summary>Ed25519 (RFC 8032, pure), 64-byte signature.</summary>
    Ed25519 = 3,
}
