namespace Credentials.Store.Keys;

/// <summary>The key something was signed with was replaced or compromised before the write; sign again.</summary>
public sealed class SigningKeyChangedException(string keyId)
    : Exception($"Signing key {keyId} is no longer active.")
{
    public string KeyId { get; } = keyId;
}
