using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Holders;

/// <summary>A share code as stored (never the code: its SHA-256 only).</summary>
public sealed record StoredShareCode(
    long Id,
    byte[] HolderDigest,
    string CertificateNumber,
    string Purpose,
    bool IncludeIntegrity,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the code answers at <paramref name="now"/>: not revoked, and before its expiry.</summary>
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;
}

/// <summary>Share codes (在线验证码) of holders.</summary>
public static class ShareCodeRepository
{
    private const string Select = """
        SELECT id, holder_digest, certificate_number, purpose, include_integrity, created_at, expires_at, revoked_at FROM share_codes
        """;

    /// <summary>Stores a new code and returns its id.</summary>
    public static long Insert(SqliteConnection connection, SqliteTransaction transaction, byte[] holderDigest, string certificateNumber, byte[] codeHash,
        string purpose, bool includeIntegrity, DateTimeOffset createdAt, DateTimeOffset expiresAt) =>
        connection.ExecuteScalar<long>(
            """
            INSERT INTO share_codes (holder_digest, certificate_number, code_hash, purpose, include_integrity, created_at, expires_at)
            VALUES (@holderDigest, @certificateNumber, @codeHash, @purpose, @includeIntegrity, @createdAt, @expiresAt)
            RETURNING id
            """,
            new
            {
                holderDigest, certificateNumber, codeHash, purpose, includeIntegrity = includeIntegrity ? 1 : 0,
                createdAt = createdAt.ToUnixTimeMilliseconds(), expiresAt = expiresAt.ToUnixTimeMilliseconds(),
            },
            transaction);

    /// <summary>The code whose hash is <paramref name="codeHash"/>, in whatever state, or null.</summary>
    public static StoredShareCode? FindByHash(SqliteConnection connection, byte[] codeHash) =>
        connection.Query<Row>(Select + " WHERE code_hash = @codeHash", new { codeHash }).Select(r => r.ToStored()).SingleOrDefault();

    public static StoredShareCode? Get(SqliteConnection connection, long id, SqliteTransaction? transaction = null) =>
        connection.Query<Row>(Select + " WHERE id = @id", new { id }, transaction).Select(r => r.ToStored()).SingleOrDefault();

    /// <summary>A holder's codes before <paramref name="beforeId"/> (0: from the newest), newest first; "" matches every certificate.</summary>
    public static IReadOnlyList<StoredShareCode> ListByHolder(SqliteConnection connection, byte[] holderDigest, long beforeId, int limit, string certificateNumber) =>
        connection.Query<Row>(
            Select + """
             WHERE holder_digest = @holderDigest AND id < @beforeId AND (@certificateNumber = '' OR certificate_number = @certificateNumber)
             ORDER BY id DESC LIMIT @limit
            """,
            new { holderDigest, beforeId = beforeId == 0 ? long.MaxValue : beforeId, limit, certificateNumber })
            .Select(r => r.ToStored()).ToList();

    /// <summary>How many of a holder's codes are active at <paramref name="now"/>.</summary>
    public static int CountActive(SqliteConnection connection, SqliteTransaction transaction, byte[] holderDigest, DateTimeOffset now) =>
        connection.ExecuteScalar<int>(
            "SELECT COUNT(*) FROM share_codes WHERE holder_digest = @holderDigest AND revoked_at IS NULL AND expires_at > @now",
            new { holderDigest, now = now.ToUnixTimeMilliseconds() }, transaction);

    public static void Revoke(SqliteConnection connection, SqliteTransaction transaction, long id, DateTimeOffset now) =>
        connection.Execute("UPDATE share_codes SET revoked_at = @now WHERE id = @id", new { id, now = now.ToUnixTimeMilliseconds() }, transaction);

    private sealed record Row(long Id, byte[] HolderDigest, string CertificateNumber, string Purpose, long IncludeIntegrity, long CreatedAt, long ExpiresAt,
        long? RevokedAt)
    {
        public StoredShareCode ToStored() => new(Id, HolderDigest, CertificateNumber, Purpose, IncludeIntegrity != 0,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAt),
            RevokedAt is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null);
    }
}
