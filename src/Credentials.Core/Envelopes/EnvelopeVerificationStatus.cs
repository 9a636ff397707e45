namespace Credentials.Core.Envelopes;

/// <summary>The outcome of verifying an envelope: valid, or the check that failed.</summary>
public enum EnvelopeVerificationStatus
{
    /// <summary>A signature by a known key verifies over the payload and its type.</summary>
    Valid = 1,

    /// <summary>
    /// The envelope breaks the format: no or too many signatures, an empty key id or type, an
    /// unexpected payload type, or a signature whose encoding is wrong for its key's algorithm.
    /// </summary>
    Malformed = 2,

    /// <summary>No signature names a key we know.</summary>
    UnknownKey = 3,

    /// <summary>A signature by a known key is well formed but does not verify.</summary>
    BadSignature = 4,
}
