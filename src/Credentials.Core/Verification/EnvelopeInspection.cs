using Credentials.V1;

namespace Credentials.Core.Verification;

/// <summary>
/// What <see cref="EnvelopeInspector"/> found out without the store: the checks so far (decode to
/// key validity), the key id the signature names and the signed document, when they could be read.
/// The store adds the record and status steps.
/// </summary>
/// <param name="KeyId">The key id of the signature that was checked ("" when the envelope could not be decoded).</param>
/// <param name="Document">The signed document, when it was parsed (after a valid signature).</param>
public sealed record EnvelopeInspection(EnvelopeCheckList Checks, Envelope? Envelope, string KeyId, CertificateDocument? Document);
