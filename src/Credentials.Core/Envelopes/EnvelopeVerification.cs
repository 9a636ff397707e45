namespace Credentials.Core.Envelopes;

/// <summary>The result of <see cref="EnvelopeVerifier.Verify"/>.</summary>
/// <param name="Status">Valid, or which check failed.</param>
/// <param name="KeyId">The key whose signature verified, or the key the failure concerns (null when none does).</param>
/// <param name="Message">A sentence for logs and error details; never contains key material.</param>
public sealed record EnvelopeVerification(EnvelopeVerificationStatus Status, string? KeyId, string Message)
{
    public bool IsValid => Status == EnvelopeVerificationStatus.Valid;
}
