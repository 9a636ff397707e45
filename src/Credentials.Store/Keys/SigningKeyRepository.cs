using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Keys;

/// <summary>The public record of a signing key: its validity window and, if it was compromised, from when.</summary>
public sealed record SigningKeyRecord(
    string KeyId,
    string Algorithm,
    byte[] PublicKey,
    DateTimeOffset ValidFrom,
    DateTimeOffset? ValidUntil,
    DateTimeOffset? CompromisedAt,
    string? CompromiseReason)
{
    /// <summary>Signs new documents: not replaced and not compromised.</summary>
    public bool IsActive => ValidUntil is null && CompromisedAt is null;
}

/// <summary>Signing keys' public parts and history. Private keys never enter the database.</summary>
public static class SigningKeyRepository
{
    public static IReadOnlyList<SigningKeyRecord> List(SqliteConnection connection, SqliteTransaction? transaction = null) =>
        connection.Query<Row>("SELECT * FROM signing_keys ORDER BY valid_from, key_id", transaction: transaction).Select(r => r.ToRecord()).ToList();

    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, SigningKeyRecord key) =>
        connection.Execute(
            "INSERT INTO signing_keys (key_id, algorithm, public_key, valid_from) VALUES (@KeyId, @Algorithm, @PublicKey, @ValidFrom)",
            new { key.KeyId, key.Algorithm, key.PublicKey, ValidFrom = key.ValidFrom.ToUnixTimeMilliseconds() }, transaction);

    /// <summary>Ends the validity of every active key at <paramref name="at"/> (a new key takes over).</summary>
    public static void RetireActive(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset at) =>
        connection.Execute(
            "UPDATE signing_keys SET valid_until = @at WHERE valid_until IS NULL AND compromised_at IS NULL",
            new { at = at.ToUnixTimeMilliseconds() }, transaction);

    /// <summary>Marks a key compromised from <paramref name="at"/>; false when there is no such key.</summary>
    public static bool MarkCompromised(SqliteConnection connection, SqliteTransaction transaction, string keyId, DateTimeOffset at, string reason) =>
        connection.Execute(
            "UPDATE signing_keys SET compromised_at = @at, compromise_reason = @reason WHERE key_id = @keyId",
            new { keyId, at = at.ToUnixTimeMilliseconds(), reason }, transaction) == 1;

    /// <summary>Whether the key may still sign: checked in the same transaction that stores what it signed.</summary>
    public static bool IsActive(SqliteConnection connection, string keyId, SqliteTransaction? transaction = null) =>
        connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM signing_keys WHERE key_id = @keyId AND valid_until IS NULL AND compromised_at IS NULL",
            new { keyId }, transaction) == 1;

    private sealed record Row(string KeyId, string Algorithm, byte[] PublicKey, long ValidFrom, long? ValidUntil, long? CompromisedAt, string? CompromiseReason)
    {
        public SigningKeyRecord ToRecord() => new(
            KeyId, Algorithm, PublicKey, DateTimeOffset.FromUnixTimeMilliseconds(ValidFrom),
            ValidUntil is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null,
            CompromisedAt is { } compromised ? DateTimeOffset.FromUnixTimeMilliseconds(compromised) : null,
            CompromiseReason);
    }
}
