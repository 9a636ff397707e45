using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Idempotency;

/// <summary>
/// What each (principal, method, request id) produced, with a hash of the request, so a retried
/// creation returns the first result and a reused id with other content is recognised. The request
/// id is stored as the host gives it: hashed when it could hold an ID number (CallerIdentifiers).
/// </summary>
public static class IdempotencyRepository
{
    public sealed record Entry(byte[] RequestHash, string Result);

    public static Entry? Find(SqliteConnection connection, string principal, string method, string requestId, SqliteTransaction? transaction = null) =>
        connection.QuerySingleOrDefault<Entry>(
            "SELECT request_hash, result FROM idempotency WHERE principal = @principal AND method = @method AND request_id = @requestId",
            new { principal, method, requestId }, transaction);

    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, string principal, string method, string requestId,
        byte[] requestHash, string result, DateTimeOffset now) =>
        connection.Execute(
            """
            INSERT INTO idempotency (principal, method, request_id, request_hash, result, created_at)
            VALUES (@principal, @method, @requestId, @requestHash, @result, @now)
            """,
            new { principal, method, requestId, requestHash, result, now = now.ToUnixTimeMilliseconds() }, transaction);
}
