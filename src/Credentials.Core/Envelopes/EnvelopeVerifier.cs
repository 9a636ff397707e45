using Credentials.Core.Signing;
using Credentials.V1;

namespace Credentials.Core.Envelopes;

/// <summary>Verifies DSSE envelopes. Never throws for a hostile envelope; the result says what failed.</summary>
public static class EnvelopeVerifier
{
    /// <summary>More signatures than this is not an envelope we made.</summary>
    public const int MaxSignatures = 8;

    /// <summary>
    /// Accepts the envelope when its type is <paramref name="expectedPayloadType"/> and at least
    /// one signature, by a key <paramref name="findKey"/> returns, verifies over PAE(type,
    /// payload). <paramref name="findKey"/> returns null for an unknown id (and is where key
    /// validity belongs).
    /// </summary>
    public static EnvelopeVerification Verify(Envelope envelope, string expectedPayloadType, Func<string, VerificationKey?> findKey)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentException.ThrowIfNullOrEmpty(expectedPayloadType);
        ArgumentNullException.ThrowIfNull(findKey);

        if (envelope.PayloadType != expectedPayloadType)
        {
            return Malformed(null, $"payload_type is \"{Truncate(envelope.PayloadType)}\"; expected \"{expectedPayloadType}\".");
        }
        if (envelope.Signatures.Count is 0 or > MaxSignatures)
        {
            return Malformed(null, $"The envelope has {envelope.Signatures.Count} signatures; expected 1 to {MaxSignatures}.");
        }
        if (envelope.Signatures.Any(s => s.Keyid.Length == 0))
        {
            return Malformed(null, "A signature has an empty keyid.");
        }

        byte[]? pae = null;
        EnvelopeVerification? failure = null;
        foreach (var signature in envelope.Signatures)
        {
            var key = findKey(signature.Keyid);
            if (key is null)
            {
                continue;
            }
            if (!key.IsWellFormedSignature(signature.Sig.Span))
            {
                failure ??= Malformed(key.KeyId, $"The signature by {key.KeyId} is not a well-formed {key.Algorithm.ToName()} signature.");
                continue;
            }
            pae ??= Pae.Encode(envelope.PayloadType, envelope.Payload.Span);
            if (key.Verify(pae, signature.Sig.Span))
            {
                return new EnvelopeVerification(EnvelopeVerificationStatus.Valid, key.KeyId, $"Signed by {key.KeyId}.");
            }
            failure ??= new EnvelopeVerification(EnvelopeVerificationStatus.BadSignature, key.KeyId,
                $"The signature by {key.KeyId} does not verify.");
        }
        return failure ?? new EnvelopeVerification(EnvelopeVerificationStatus.UnknownKey, null,
            $"No signature is by a known key (keyids: {string.Join(", ", envelope.Signatures.Select(s => Truncate(s.Keyid)))}).");
    }

    private static EnvelopeVerification Malformed(string? keyId, string message) =>
        new(EnvelopeVerificationStatus.Malformed, keyId, message);

    // Ids and types come from the envelope: keep hostile ones short in messages and logs.
    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
