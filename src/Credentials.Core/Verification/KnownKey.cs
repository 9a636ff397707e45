using Credentials.Core.Signing;

namespace Credentials.Core.Verification;

/// <summary>A signing key of ours as a verifier needs it: the public key and its history.</summary>
/// <param name="ValidFrom">Documents issued from this time on may be signed with it.</param>
/// <param name="ValidUntil">Set when a newer key replaced it: documents issued from then on are not signed with it.</param>
/// <param name="CompromisedAt">Set when it was compromised: documents issued at or after this time are invalid.</param>
public sealed record KnownKey(VerificationKey Key, DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil, DateTimeOffset? CompromisedAt)
{
    public bool IsCompromisedAt(DateTimeOffset issuedAt) => CompromisedAt is { } compromised && compromised <= issuedAt;

    public bool IsValidAt(DateTimeOffset issuedAt) => issuedAt >= ValidFrom && (ValidUntil is not { } until || issuedAt < until);
}
