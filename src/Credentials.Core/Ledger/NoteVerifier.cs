using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Credentials.Core.Ledger;

/// <summary>
/// A trusted Ed25519 note key, from the verifier key string "name+hexkeyid+base64(0x01||public key)" of
/// golang.org/x/mod/sumdb/note. Only keys configured by the operator reach BouncyCastle, never one from a request.
/// </summary>
public sealed class NoteVerifier
{
    private const int SignatureSize = 64;

    private readonly byte[] _publicKey;

    private NoteVerifier(string name, uint keyId, byte[] publicKey)
    {
        Name = name;
        KeyId = keyId;
        _publicKey = publicKey;
    }

    /// <summary>The key name, as written in signature lines.</summary>
    public string Name { get; }

    /// <summary>The 32-bit key id that follows the name in signature lines.</summary>
    public uint KeyId { get; }

    /// <summary>The verifier key string, for publication and configuration.</summary>
    public string VerifierKey => NoteKeys.Format(Name, KeyId, [NoteKeys.Ed25519Type, .. _publicKey]);

    /// <summary>Parses a verifier key string.</summary>
    /// <exception cref="FormatException">Malformed, not Ed25519, or the key id does not match name and key.</exception>
    public static NoteVerifier Parse(string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);
        var (name, keyId, typedKey) = NoteKeys.Parse(verifierKey, "verifier key");
        if (NoteKeys.KeyId(name, typedKey) != keyId)
        {
            throw new FormatException("verifier key: key id does not match the name and public key");
        }
        return new NoteVerifier(name, keyId, typedKey[1..]);
    }

    /// <summary>A verifier for the Ed25519 <paramref name="publicKey"/> (32 bytes) under <paramref name="name"/>.</summary>
    public static NoteVerifier FromPublicKey(string name, ReadOnlySpan<byte> publicKey)
    {
        if (!NoteKeys.IsValidName(name))
        {
            throw new ArgumentException("key name must be non-empty, without spaces or '+'", nameof(name));
        }
        if (publicKey.Length != Ed25519.PublicKeySize)
        {
            throw new ArgumentException($"Ed25519 public key must be {Ed25519.PublicKeySize} bytes", nameof(publicKey));
        }
        byte[] typedKey = [NoteKeys.Ed25519Type, .. publicKey];
        return new NoteVerifier(name, NoteKeys.KeyId(name, typedKey), publicKey.ToArray());
    }

    /// <summary>Whether <paramref name="signature"/> is this key's Ed25519 signature of <paramref name="message"/>.</summary>
    internal bool Verify(byte[] message, byte[] signature) =>
        signature.Length == SignatureSize && Ed25519.Verify(signature, 0, _publicKey, 0, message, 0, message.Length);

    public override string ToString() => VerifierKey;
}
