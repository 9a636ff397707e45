using Credentials.Core.Signing.Asn1;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Credentials.Core.Signing.Eddsa;

/// <summary>Ed25519 (RFC 8032, pure) verification through BouncyCastle.</summary>
internal sealed class Ed25519VerificationKey : VerificationKey
{
    /// <summary>The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.</summary>
    private static readonly byte[] OrderLittleEndian = Convert.FromHexString(
        "EDD3F55C1A631258D69CF7A2DEF9DE1400000000000000000000000000000010");

    private readonly byte[] _publicKey;

    public Ed25519VerificationKey(byte[] raw)
        : base(SigningAlgorithm.Ed25519, raw)
    {
        // Decodes the point and rejects small-order keys: a corrupted key fails here, once.
        if (!Ed25519.ValidatePublicKeyFull(raw, 0))
        {
            throw new FormatException("The Ed25519 public key is not a valid point of the prime-order subgroup.");
        }
        _publicKey = raw;
    }

    /// <summary>64 bytes, and S (the second half) below L as RFC 8032 §5.1.7 requires.</summary>
    public override bool IsWellFormedSignature(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Ed25519.SignatureSize)
        {
            return false;
        }
        var s = signature[Ed25519.PublicKeySize..];
        for (var i = s.Length - 1; i >= 0; i--)
        {
            if (s[i] != OrderLittleEndian[i])
            {
                return s[i] < OrderLittleEndian[i];
            }
        }
        return false;
    }

    private protected override bool VerifyWellFormed(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var bytes = message.ToArray();
        return Ed25519.Verify(signature.ToArray(), 0, _publicKey, 0, bytes, 0, bytes.Length);
    }
}
