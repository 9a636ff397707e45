using Credentials.Core.Envelopes;
using Credentials.Core.Signing;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Cli.Verification;

/// <summary>
/// Verifies an envelope without the server, against a saved key set, with the steps and verdicts
/// of VerifyEnvelope: decode, key lookup, signature over DSSE PAE, document, key validity at the
/// document's issue time. The record and revocation status need the server: offline those two
/// steps are SKIPPED, and VALID means authentic and signed by a key valid at issuance.
/// </summary>
internal static class OfflineVerifier
{
    public const string OfflineNote = "offline: not checked (verify online for the current status)";

    public static VerifyEnvelopeResponse Verify(EnvelopeSource source, KeySet keys)
    {
        var run = new Run();

        // Decode.
        Envelope envelope;
        if (source.QrText is { } text)
        {
            var decoded = QrText.Decode(text);
            if (!decoded.IsSuccess)
            {
                return run.Fail(VerificationStep.Decode, EnvelopeVerdict.Malformed, decoded.Message);
            }
            envelope = decoded.Envelope;
        }
        else
        {
            try
            {
                envelope = Envelope.Parser.ParseFrom(source.EnvelopeBytes);
            }
            catch (InvalidProtocolBufferException)
            {
                return run.Fail(VerificationStep.Decode, EnvelopeVerdict.Malformed, "The input is neither a TC1: text nor an Envelope.");
            }
        }
        if (envelope.PayloadType != PayloadTypes.Certificate)
        {
            return run.Fail(VerificationStep.Decode, EnvelopeVerdict.Malformed, $"payload_type is not {PayloadTypes.Certificate}.");
        }
        if (envelope.Signatures.Count is 0 or > EnvelopeVerifier.MaxSignatures)
        {
            return run.Fail(VerificationStep.Decode, EnvelopeVerdict.Malformed, $"The envelope has {envelope.Signatures.Count} signatures.");
        }
        run.Pass(VerificationStep.Decode, $"{source.Form}, {envelope.Payload.Length} payload bytes, {envelope.Signatures.Count} signature(s)");
        run.Response.KeyId = envelope.Signatures[0].Keyid;

        // Key lookup.
        var known = envelope.Signatures.FirstOrDefault(s => keys.TryGet(s.Keyid, out _, out _));
        if (known is null)
        {
            return run.Fail(VerificationStep.KeyLookup, EnvelopeVerdict.UnknownKey,
                $"no key in the key set has the id {Shorten(envelope.Signatures[0].Keyid)}");
        }
        keys.TryGet(known.Keyid, out var info, out _);
        run.Response.KeyId = info.KeyId;
        run.Pass(VerificationStep.KeyLookup, $"{info.KeyId} ({info.Algorithm})");

        // Signature over PAE(payload_type, payload), by the Core verifier the server signs with.
        var verification = EnvelopeVerifier.Verify(envelope, PayloadTypes.Certificate,
            id => keys.TryGet(id, out _, out var key) ? key : null);
        if (!verification.IsValid)
        {
            var verdict = verification.Status switch
            {
                EnvelopeVerificationStatus.BadSignature => EnvelopeVerdict.BadSignature,
                EnvelopeVerificationStatus.UnknownKey => EnvelopeVerdict.UnknownKey,
                _ => EnvelopeVerdict.Malformed,
            };
            return run.Fail(VerificationStep.Signature, verdict, verification.Message);
        }
        keys.TryGet(verification.KeyId!, out info, out var signer);
        run.Response.KeyId = signer.KeyId;
        run.Pass(VerificationStep.Signature, $"signed by {signer.KeyId} ({signer.Algorithm.ToName()})");

        // Document.
        CertificateDocument document;
        try
        {
            document = CertificateDocument.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException)
        {
            return run.Fail(VerificationStep.Document, EnvelopeVerdict.Malformed, "the payload is not a CertificateDocument");
        }
        if (document.Number.Length == 0 || document.IssuedAt is null)
        {
            return run.Fail(VerificationStep.Document, EnvelopeVerdict.Malformed, "the document has no number or no issue time");
        }
        run.Response.Certificate = ToVerified(document);
        if (document.KeyId != signer.KeyId)
        {
            return run.Fail(VerificationStep.Document, EnvelopeVerdict.Malformed,
                $"the document names the key {Shorten(document.KeyId)}, the signature {signer.KeyId}");
        }
        run.Pass(VerificationStep.Document, $"certificate {document.Number}");

        // Key validity at the issue time the document states.
        var issuedAt = document.IssuedAt.ToDateTimeOffset();
        if (info.CompromisedAt is { } compromised && compromised.ToDateTimeOffset() <= issuedAt)
        {
            return run.Fail(VerificationStep.KeyValidity, EnvelopeVerdict.KeyCompromised,
                $"{info.KeyId} was compromised at {Format(compromised)}, at or before the issue time {Format(document.IssuedAt)}");
        }
        if ((info.ValidFrom is { } from && issuedAt < from.ToDateTimeOffset()) || (info.ValidUntil is { } until && issuedAt > until.ToDateTimeOffset()))
        {
            return run.Fail(VerificationStep.KeyValidity, EnvelopeVerdict.KeyNotValid,
                $"{info.KeyId} was not valid at the issue time {Format(document.IssuedAt)} (valid {Format(info.ValidFrom)} to {Format(info.ValidUntil)})");
        }
        run.Pass(VerificationStep.KeyValidity, $"{info.KeyId} valid at {Format(document.IssuedAt)}");

        run.Skip(VerificationStep.Record, OfflineNote);
        run.Skip(VerificationStep.Status, OfflineNote);
        run.Response.Verdict = EnvelopeVerdict.Valid;
        return run.Response;
    }

    public static VerifiedCertificate ToVerified(CertificateDocument document) => new()
    {
        Number = document.Number,
        HolderName = document.HolderName,
        HolderDocumentType = document.HolderDocumentType,
        HolderDocumentMasked = document.HolderDocumentMasked,
        Series = document.Series,
        Specialty = document.Specialty,
        Level = document.Level,
        TitleName = document.TitleName,
        CommitteeCode = document.CommitteeCode,
        CommitteeName = document.CommitteeName,
        ReviewYear = document.ReviewYear,
        QualificationDate = document.QualificationDate,
        ApprovalDocument = document.ApprovalDocument,
        IssueTime = document.IssuedAt,
    };

    private static string Format(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time is null ? "-" : time.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    // Ids come from the envelope: keep hostile ones short.
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>The step list being built: every step appears once, in order; those after a failure are SKIPPED.</summary>
    private sealed class Run
    {
        public VerifyEnvelopeResponse Response { get; } = new();

        public void Pass(VerificationStep step, string detail) => Add(step, CheckOutcome.Passed, detail);

        public void Skip(VerificationStep step, string detail) => Add(step, CheckOutcome.Skipped, detail);

        public VerifyEnvelopeResponse Fail(VerificationStep step, EnvelopeVerdict verdict, string detail)
        {
            Add(step, CheckOutcome.Failed, detail);
            foreach (var later in Enum.GetValues<VerificationStep>().Where(s => s > step))
            {
                Add(later, CheckOutcome.Skipped, "not run: an earlier check failed");
            }
            Response.Verdict = verdict;
            return Response;
        }

        private void Add(VerificationStep step, CheckOutcome outcome, string detail) =>
            Response.Checks.Add(new VerificationCheck { Step = step, Outcome = outcome, Detail = detail });
    }
}
