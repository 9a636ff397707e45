using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Credentials.Core.Ledger;

/// <summary>
/// An Ed25519 note signing key, from the signer key string "PRIVATE+KEY+name+hexkeyid+base64(0x01||seed)" of
/// golang.org/x/mod/sumdb/note. The key id is that of the public key, so signer and verifier strings agree.
/// The seed is secret: it leaves this object only through <see cref="ExportSignerKey"/>.
/// </summary>
public sealed class NoteSigner
{
    private const string PrivatePrefix = "PRIVATE+KEY+";

    private readonly byte[] _seed;

    private NoteSigner(string name, byte[] seed)
    {
        if (!NoteKeys.IsValidName(name))
        {
            throw new ArgumentException("key name must be non-empty, without spaces or '+'", nameof(name));
        }
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
        _seed = seed;
        Verifier = NoteVerifier.FromPublicKey(name, publicKey);
    }

    /// <summary>The key name, as written in signature lines.</summary>
    public string Name => Verifier.Name;

    /// <summary>The key id of the public key.</summary>
    public uint KeyId => Verifier.KeyId;

    /// <summary>The matching verifier (its <see cref="NoteVerifier.VerifierKey"/> is the public key string).</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>A new random key.</summary>
    public static NoteSigner Generate(string name) => new(name, RandomNumberGenerator.GetBytes(Ed25519.SecretKeySize));

    /// <summary>The key with the 32-byte Ed25519 <paramref name="seed"/> (RFC 8032 private key).</summary>
    public static NoteSigner FromSeed(string name, ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519.SecretKeySize)
        {
            throw new ArgumentException($"Ed25519 seed must be {Ed25519.SecretKeySize} bytes", nameof(seed));
        }
        return new NoteSigner(name, seed.ToArray());
    }

    /// <summary>Parses a signer key string.</summary>
    /// <exception cref="FormatException">Malformed, not Ed25519, or the key id does not match the derived public key.</exception>
    public static NoteSigner Parse(string signerKey)
    {
        ArgumentNullException.ThrowIfNull(signerKey);
        // Error messages never quote the string: it holds the secret.
        if (!signerKey.StartsWith(PrivatePrefix, StringComparison.Ordinal))
        {
            throw new FormatException("signer key: must start with PRIVATE+KEY+");
        }
        var (name, keyId, typedSeed) = NoteKeys.Parse(signerKey[PrivatePrefix.Length..], "signer key");
        var signer = new NoteSigner(name, typedSeed[1..]);
        if (signer.KeyId != keyId)
        {
            throw new FormatException("signer key: key id does not match the name and derived public key");
        }
        return signer;
    }

    /// <summary>The signer key string. Secret: for a key file or vault, never for logs.</summary>
    public string ExportSignerKey() => PrivatePrefix + NoteKeys.Format(Name, KeyId, [NoteKeys.Ed25519Type, .. _seed]);

    /// <summary>The 64-byte Ed25519 signature of <paramref name="message"/>.</summary>
    internal byte[] Sign(byte[] message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_seed, 0, message, 0, message.Length, signature, 0);
        return signature;
    }

    public override string ToString() => $"{Name}+{KeyId:x8} (signer)";
}
