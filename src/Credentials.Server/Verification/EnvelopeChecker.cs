using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Core.Validation;
using Credentials.Core.Verification;
using Credentials.Server.Keys;
using Credentials.Store.Verification;
using Credentials.V1;

namespace Credentials.Server.Verification;

/// <summary>
/// Verification of a signed envelope, step by step: the pure steps of
/// <see cref="EnvelopeInspector"/> against every key we ever used, then the record (the
/// certificate is on record with exactly these signed bytes) and its current status.
/// </summary>
public sealed class EnvelopeChecker(VerificationLookup lookup, KeyRing keys)
{
    /// <summary>The most a request may carry, as bytes or as text: larger is INVALID_ARGUMENT, not a verdict.</summary>
    public const int MaxRequestLength = 64 * 1024;

    /// <summary>The certificate number the document names ("" when none was read, for the access log) and the answer.</summary>
    public (string Number, VerifyEnvelopeResponse Response) Verify(VerifyEnvelopeRequest request)
    {
        var violations = new Violations();
        switch (request.SourceCase)
        {
            case VerifyEnvelopeRequest.SourceOneofCase.Envelope:
                if (request.Envelope.Length > MaxRequestLength)
                {
                    violations.Add("envelope", $"must have at most {MaxRequestLength} bytes");
                }
                break;
            case VerifyEnvelopeRequest.SourceOneofCase.QrText:
                violations.AddIf("qr_text", Text.Check(request.QrText, 0, MaxRequestLength));
                break;
            default:
                violations.Add("envelope", "one of envelope or qr_text is required");
                break;
        }
        violations.ThrowIfAny();

        var inspection = request.SourceCase == VerifyEnvelopeRequest.SourceOneofCase.Envelope
            ? EnvelopeInspector.InspectBytes(request.Envelope.Span, keys.FindKnown)
            : EnvelopeInspector.InspectQrText(request.QrText.Trim(), keys.FindKnown);
        var checks = inspection.Checks;
        var document = inspection.Document;
        VerifiableCertificate? stored = null;
        if (!checks.HasFailed && document is not null)
        {
            stored = lookup.Find(document.Number);
            if (stored is null)
            {
                checks.Fail(VerificationStep.Record, EnvelopeVerdict.NotOnRecord, $"No certificate {document.Number} is on record.");
            }
            else if (!stored.SignedDocument.Span.SequenceEqual(inspection.Envelope!.Payload.Span))
            {
                checks.Fail(VerificationStep.Record, EnvelopeVerdict.NotOnRecord, Superseded(document, stored.SignedDocument)
                    ? $"Certificate {document.Number} was reissued: it is on record with a newer signed document; ask the holder for the current one."
                    : $"Certificate {document.Number} is on record with another signed document.");
            }
            else
            {
                checks.Pass(VerificationStep.Record, $"Certificate {document.Number} is on record with exactly this signed document.");
                if (stored!.RevocationReason is { } reason)
                {
                    checks.Fail(VerificationStep.Status, EnvelopeVerdict.Revoked,
                        $"Revoked ({(RevocationReason)reason}) with effect from {stored.RevocationEffectiveDate}.");
                }
                else
                {
                    checks.Pass(VerificationStep.Status, "Not revoked.");
                }
            }
        }
        var response = new VerifyEnvelopeResponse { Verdict = checks.Finish(), KeyId = inspection.KeyId };
        response.Checks.AddRange(checks.Checks);
        if (document is not null)
        {
            var onRecord = response.Verdict is EnvelopeVerdict.Valid or EnvelopeVerdict.Revoked;
            response.Certificate = VerificationMapping.ToVerified(document, onRecord ? stored!.RevocationReason : null,
                onRecord ? stored!.RevocationEffectiveDate : null);
        }
        return (document?.Number ?? "", response);
    }

    /// <summary>Whether the record's document is a later signing of the same certificate than the one given (a reissue).</summary>
    private static bool Superseded(CertificateDocument given, Google.Protobuf.ByteString recorded)
    {
        var current = CertificateDocument.Parser.ParseFrom(recorded);
        return current.Number == given.Number && current.IssuedAt.ToDateTimeOffset() > given.IssuedAt.ToDateTimeOffset();
    }
}
