using Credentials.Core.Principals;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Principals;

/// <summary>Principals and the hashes of their tokens.</summary>
public static class PrincipalRepository
{
    public static Principal Insert(SqliteConnection connection, SqliteTransaction transaction, string name, Role role, string? committeeCode,
        byte[] tokenHash, string tokenHint, DateTimeOffset now, string createdBy)
    {
        var id = connection.ExecuteScalar<long>(
            """
            INSERT INTO principals (name, role, committee_code, token_hash, token_hint, created_at, created_by)
            VALUES (@name, @role, @committeeCode, @tokenHash, @tokenHint, @now, @createdBy)
            RETURNING id
            """,
            new { name, role = role.ToName(), committeeCode, tokenHash, tokenHint, now = now.ToUnixTimeMilliseconds(), createdBy },
            transaction);
        return new Principal(id, name, role, committeeCode, tokenHint, now, createdBy, null);
    }

    /// <summary>The principal whose token hashes to <paramref name="tokenHash"/>, revoked or not.</summary>
    public static Principal? FindByTokenHash(SqliteConnection connection, byte[] tokenHash) =>
        connection.QuerySingleOrDefault<Row>("SELECT * FROM principals WHERE token_hash = @tokenHash", new { tokenHash })?.ToPrincipal();

    public static Principal? FindByName(SqliteConnection connection, string name, SqliteTransaction? transaction = null) =>
        connection.QuerySingleOrDefault<Row>("SELECT * FROM principals WHERE name = @name", new { name }, transaction)?.ToPrincipal();

    public static IReadOnlyList<Principal> List(SqliteConnection connection) =>
        connection.Query<Row>("SELECT * FROM principals ORDER BY id").Select(r => r.ToPrincipal()).ToList();

    /// <summary>Marks the principal revoked; false when there is no such unrevoked principal.</summary>
    public static bool Revoke(SqliteConnection connection, SqliteTransaction transaction, string name, DateTimeOffset now) =>
        connection.Execute(
            "UPDATE principals SET revoked_at = @now WHERE name = @name AND revoked_at IS NULL",
            new { name, now = now.ToUnixTimeMilliseconds() }, transaction) == 1;

    /// <summary>Whether an authority principal was ever created (revoked ones count: first start happens once).</summary>
    public static bool AnyAuthority(SqliteConnection connection) =>
        connection.ExecuteScalar<long>("SELECT COUNT(*) FROM principals WHERE role = 'authority'") > 0;

    /// <summary>
    /// Binds the principal to the client certificate with this SHA-256 (null: unbinds it); false
    /// when there is no such unrevoked principal.
    /// </summary>
    public static bool BindCertificate(SqliteConnection connection, SqliteTransaction transaction, string name, byte[]? certificateSha256) =>
        connection.Execute(
            "UPDATE principals SET certificate_sha256 = @certificateSha256 WHERE name = @name AND revoked_at IS NULL",
            new { name, certificateSha256 }, transaction) == 1;

    private sealed record Row(long Id, string Name, string Role, string? CommitteeCode, byte[] TokenHash, string TokenHint,
        long CreatedAt, string CreatedBy, long? RevokedAt, byte[]? CertificateSha256)
    {
        public Principal ToPrincipal() => new(
            Id, Name, RoleNames.TryParse(Role, out var role) ? role : throw new InvalidDataException($"Unknown role '{Role}'."),
            CommitteeCode, TokenHint, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), CreatedBy,
            RevokedAt is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null)
        {
            CertificateSha256 = CertificateSha256,
        };
    }
}
