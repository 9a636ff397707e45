namespace Credentials.Core.Principals;

/// <summary>
/// Someone who calls the service with a bearer token: a name (unique), a role, and for a
/// committee the code it acts for. The token itself is never kept, only its SHA-256.
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
}
