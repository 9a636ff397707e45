using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Core.Signing;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Core.Verification;

/// <summary>
/// The first five steps of an envelope verification, pure: decode, key lookup, signature,
/// document, key validity at the document's issue time. Never throws for hostile input; every
/// failure is a step with its verdict. The signature is checked before the payload is parsed,
/// so a forger learns nothing from our parser.
/// </summary>
public static class EnvelopeInspector
{
    /// <summary>The most envelope bytes we accept (as the QR text decoder does).</summary>
    public const int MaxEnvelopeLength = QrText.MaxEnvelopeLength;

    public static EnvelopeInspection InspectBytes(ReadOnlySpan<byte> bytes, Func<string, KnownKey?> findKey)
    {
        if (bytes.Length == 0)
        {
            return Undecodable("The envelope is empty.");
        }
        if (bytes.Length > MaxEnvelopeLength)
        {
            return Undecodable($"The envelope has {bytes.Length} bytes; at most {MaxEnvelopeLength} are allowed.");
        }
        Envelope envelope;
        try
        {
            envelope = Envelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return Undecodable("The bytes are not a protobuf Envelope.");
        }
        return Inspect(envelope, "Decoded the envelope bytes", findKey);
    }

    public static EnvelopeInspection InspectQrText(string text, Func<string, KnownKey?> findKey)
    {
        var decoded = QrText.Decode(text);
        return decoded.IsSuccess
            ? Inspect(decoded.Envelope, "Decoded the TC1: text (Base45, zlib, protobuf)", findKey)
            : Undecodable(decoded.Message);
    }

    private static EnvelopeInspection Inspect(Envelope envelope, string decoded, Func<string, KnownKey?> findKey)
    {
        var checks = new EnvelopeCheckList();
        if (PayloadTypes.CertificateVersion(envelope.PayloadType) is not { } version)
        {
            checks.Fail(VerificationStep.Decode, EnvelopeVerdict.Malformed,
                $"payload_type is \"{Truncate(envelope.PayloadType)}\"; expected \"{PayloadTypes.CertificateV2}\" (or \"{PayloadTypes.CertificateV1}\").");
            return new EnvelopeInspection(checks, envelope, "", null);
        }
        if (envelope.Signatures.Count is 0 or > EnvelopeVerifier.MaxSignatures || envelope.Signatures.Any(s => s.Keyid.Length == 0))
        {
            checks.Fail(VerificationStep.Decode, EnvelopeVerdict.Malformed,
                $"The envelope has {envelope.Signatures.Count} signatures; expected 1 to {EnvelopeVerifier.MaxSignatures}, each naming its key.");
            return new EnvelopeInspection(checks, envelope, "", null);
        }
        checks.Pass(VerificationStep.Decode, $"{decoded}; payload type {envelope.PayloadType} (document version {version}).");

        // The first signature by a key of ours is the one that counts.
        var signature = envelope.Signatures.FirstOrDefault(s => findKey(s.Keyid) is not null);
        if (signature is null)
        {
            checks.Fail(VerificationStep.KeyLookup, EnvelopeVerdict.UnknownKey,
                $"No key of ours has the id {string.Join(", ", envelope.Signatures.Select(s => Truncate(s.Keyid)))}.");
            return new EnvelopeInspection(checks, envelope, Truncate(envelope.Signatures[0].Keyid), null);
        }
        var known = findKey(signature.Keyid)!;
        var key = known.Key;
        checks.Pass(VerificationStep.KeyLookup, $"The signature names {key.KeyId} ({key.Algorithm.ToName()}), one of our keys.");

        // Wrong-sized or non-DER signatures never reach the cryptographic library.
        if (!key.IsWellFormedSignature(signature.Sig.Span))
        {
            checks.Fail(VerificationStep.Signature, EnvelopeVerdict.BadSignature,
                $"The signature is not a well-formed {key.Algorithm.ToName()} signature.");
            return new EnvelopeInspection(checks, envelope, key.KeyId, null);
        }
        if (!key.Verify(Pae.Encode(envelope.PayloadType, envelope.Payload.Span), signature.Sig.Span))
        {
            checks.Fail(VerificationStep.Signature, EnvelopeVerdict.BadSignature, $"The signature does not verify under {key.KeyId}.");
            return new EnvelopeInspection(checks, envelope, key.KeyId, null);
        }
        checks.Pass(VerificationStep.Signature, $"Signed by {key.KeyId} ({key.Algorithm.ToName()}).");

        CertificateDocument document;
        try
        {
            document = CertificateDocument.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException)
        {
            checks.Fail(VerificationStep.Document, EnvelopeVerdict.Malformed, "The payload is not a CertificateDocument.");
            return new EnvelopeInspection(checks, envelope, key.KeyId, null);
        }
        if ((DocumentProblem(document, key.KeyId) ?? CertificateDocuments.VersionProblem(document, version)) is { } problem)
        {
            checks.Fail(VerificationStep.Document, EnvelopeVerdict.Malformed, problem);
            return new EnvelopeInspection(checks, envelope, key.KeyId, null);
        }
        checks.Pass(VerificationStep.Document, $"Certificate {document.Number}, issued {document.IssuedAt.ToDateTimeOffset():yyyy-MM-dd'T'HH:mm:ss'Z'}.");

        var issuedAt = document.IssuedAt.ToDateTimeOffset();
        if (known.IsCompromisedAt(issuedAt))
        {
            checks.Fail(VerificationStep.KeyValidity, EnvelopeVerdict.KeyCompromised,
                $"{key.KeyId} was marked compromised from {known.CompromisedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}, at or before the issue time.");
        }
        else if (!known.IsValidAt(issuedAt))
        {
            checks.Fail(VerificationStep.KeyValidity, EnvelopeVerdict.KeyNotValid,
                $"{key.KeyId} was valid from {known.ValidFrom:yyyy-MM-dd'T'HH:mm:ss'Z'}" +
                (known.ValidUntil is { } until ? $" until {until:yyyy-MM-dd'T'HH:mm:ss'Z'}" : "") + ", not at the issue time.");
        }
        else
        {
            checks.Pass(VerificationStep.KeyValidity, $"{key.KeyId} was valid and not compromised at the issue time.");
        }
        return new EnvelopeInspection(checks, envelope, key.KeyId, document);
    }

    /// <summary>Null when the document is one we could have signed with <paramref name="keyId"/>; otherwise what is wrong.</summary>
    private static string? DocumentProblem(CertificateDocument document, string keyId)
    {
        if (CertificateNumber.Parse(document.Number, out _) is not { } number || number.Number != document.Number)
        {
            return "The document's certificate number is missing or malformed.";
        }
        if (document.KeyId != keyId)
        {
            return $"The document names key \"{Truncate(document.KeyId)}\" but is signed by {keyId}.";
        }
        var violations = new Validation.Violations();
        if (document.IssuedAt is null || Time.Timestamps.Read(document.IssuedAt, "issued_at", violations) is null)
        {
            return "The document has no valid issue time.";
        }
        return null;
    }

    private static EnvelopeInspection Undecodable(string detail)
    {
        var checks = new EnvelopeCheckList();
        checks.Fail(VerificationStep.Decode, EnvelopeVerdict.Malformed, detail);
        return new EnvelopeInspection(checks, null, "", null);
    }

    // Ids and types come from the envelope: keep hostile ones short.
    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
