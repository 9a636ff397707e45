namespace Credentials.Store.Verification;

/// <summary>
/// One verification as the access log keeps it: who asked (principal, role, address, request
/// id), how (method), about which certificate, and the answer. Never what the caller gave to
/// prove they know the holder (name, document number).
/// </summary>
/// <param name="Method">A VerificationMethod value.</param>
/// <param name="Result">A VerificationResult value (by number or share code) or an EnvelopeVerdict value (by envelope).</param>
/// <param name="ShareCodeId">For a verification by share code: the id of the code that matched, if one did.</param>
public sealed record VerificationLogEntry(
    DateTimeOffset At,
    string Principal,
    string Role,
    string ClientAddress,
    string RequestId,
    int Method,
    string CertificateNumber,
    int Result,
    long? ShareCodeId = null);

/// <summary>A stored access-log row.</summary>
public sealed record StoredVerification(long Id, VerificationLogEntry Entry);
