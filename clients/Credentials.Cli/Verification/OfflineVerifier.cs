using Credentials.Core.Verification;
using Credentials.V1;

namespace Credentials.Cli.Verification;

/// <summary>
/// Verifies an envelope without the server, against a saved key set, with the same Core steps
/// the server runs (<see cref="EnvelopeInspector"/>): decode, key lookup, signature over DSSE
/// PAE, document, key validity and compromise at the document's issue time. The record and the
/// revocation status need the server: offline those two steps are SKIPPED, and VALID means
/// authentic and signed by a key that was valid when the certificate was issued.
/// </summary>
internal static class OfflineVerifier
{
    public const string OfflineNote = "Offline: not checked (verify online for the record and the current status).";

    public static VerifyEnvelopeResponse Verify(EnvelopeSource source, KeySet keys)
    {
        var inspection = source.QrText is { } text
            ? EnvelopeInspector.InspectQrText(text, keys.Find)
            : EnvelopeInspector.InspectBytes(source.EnvelopeBytes, keys.Find);
        var response = new VerifyEnvelopeResponse { KeyId = inspection.KeyId };
        if (inspection.Checks.HasFailed)
        {
            response.Verdict = inspection.Checks.Finish();
            response.Checks.AddRange(inspection.Checks.Checks);
        }
        else
        {
            response.Verdict = EnvelopeVerdict.Valid;
            response.Checks.AddRange(inspection.Checks.Checks);
            response.Checks.Add(new VerificationCheck { Step = VerificationStep.Record, Outcome = CheckOutcome.Skipped, Detail = OfflineNote });
            response.Checks.Add(new VerificationCheck { Step = VerificationStep.Status, Outcome = CheckOutcome.Skipped, Detail = OfflineNote });
        }
        if (inspection.Document is { } document)
        {
            response.Certificate = VerifiedCertificates.FromDocument(document);
        }
        return response;
    }
}
