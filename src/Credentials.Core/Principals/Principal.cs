namespace Credentials.Core.Principals;

/// <summary>
/// Someone who calls the service with a bearer token: a name (unique), a role, and for a
/// committee the code it acts for. The token itself is never kept, only its SHA-256.
/// 证书绑定: optionally bound to one client certificate.
/// </summary>
public sealed record Principal(
    long Id,
    string Name,
    Role Role,
    string? CommitteeCode,
    string TokenHint,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>
    /// The SHA-256 of the DER client certificate this principal is bound to (mutual TLS), or null.
    /// A bound principal's token is accepted only on a connection that presented that certificate.
    /// </summary>
    public byte[]? CertificateSha256 { get; init; }
}
