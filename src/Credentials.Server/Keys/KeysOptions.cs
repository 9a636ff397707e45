namespace Credentials.Server.Keys;

/// <summary>Signing key settings (section "Keys").</summary>
public sealed class KeysOptions
{
    /// <summary>The algorithm of new keys: "SM2-SM3" (default), "ECDSA-P256-SHA256" or "Ed25519".</summary>
    public string Algorithm { get; set; } = "SM2-SM3";

    /// <summary>
    /// Encrypts private key files (PKCS#8 PBES2) when set. Pass it through the environment
    /// (CREDENTIALS_KEYS__PASSPHRASE), never in a file under version control.
    /// </summary>
    public string? Passphrase { get; set; }
}
