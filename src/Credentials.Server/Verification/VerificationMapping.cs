using Credentials.Core.Time;
using Credentials.Core.Verification;
using Credentials.V1;

namespace Credentials.Server.Verification;

/// <summary>What a verifier may learn of a certificate, read from its signed document: never the full document number.</summary>
public static class VerificationMapping
{
    public static VerifiedCertificate ToVerified(CertificateDocument document, int? revocationReason, string? revocationEffectiveDate)
    {
        var verified = VerifiedCertificates.FromDocument(document);
        if (revocationReason is { } reason)
        {
            verified.Revocation = new RevocationSummary
            {
                Reason = (RevocationReason)reason,
                EffectiveDate = revocationEffectiveDate is { } date ? Dates.ToProto(Dates.FromIso(date)) : null,
            };
        }
        return verified;
    }
}
