using Credentials.Core.Signing;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Core.Envelopes;

/// <summary>Signs payloads into DSSE envelopes.</summary>
public static class EnvelopeSigner
{
    /// <summary>An envelope with one signature, by <paramref name="key"/>, over the payload's PAE.</summary>
    public static Envelope Sign(string payloadType, ByteString payload, SigningKey key)
    {
        ArgumentException.ThrowIfNullOrEmpty(payloadType);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(key);
        return new Envelope
        {
            Payload = payload,
            PayloadType = payloadType,
            Signatures =
            {
                new Signature
                {
                    Keyid = key.KeyId,
                    Sig = ByteString.CopyFrom(key.Sign(Pae.Encode(payloadType, payload.Span))),
                },
            },
        };
    }

    /// <summary>Signs a certificate document, which must already name the signing key.</summary>
    /// <exception cref="ArgumentException">The document's key_id is not the key's id.</exception>
    public static Envelope SignCertificate(CertificateDocument document, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(key);
        if (document.KeyId != key.KeyId)
        {
            throw new ArgumentException(
                $"The document's key_id \"{document.KeyId}\" is not the signing key's id \"{key.KeyId}\".", nameof(document));
        }
        return Sign(PayloadTypes.Certificate, document.ToByteString(), key);
    }
}
