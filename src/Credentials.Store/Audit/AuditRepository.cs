using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Audit;

/// <summary>The audit trail: appended by the writer with each write, listed by the authority.</summary>
public static class AuditRepository
{
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry, DateTimeOffset at, long? firstEvent, long? lastEvent) =>
        connection.Execute(
            """
            INSERT INTO audit_log (at, principal, role, method, client_address, request_id, first_event, last_event)
            VALUES (@at, @Principal, @Role, @Method, @ClientAddress, @RequestId, @firstEvent, @lastEvent)
            """,
            new { at = at.ToUnixTimeMilliseconds(), entry.Principal, entry.Role, entry.Method, entry.ClientAddress, entry.RequestId, firstEvent, lastEvent },
            transaction);

    /// <summary>Records before <paramref name="beforeId"/> (0: from the newest), newest first, with optional filters.</summary>
    public static IReadOnlyList<AuditRecord> List(SqliteConnection connection, long beforeId, int limit, string principal, string method,
        DateTimeOffset? from, DateTimeOffset? until) =>
        connection.Query<Row>(
            """
            SELECT * FROM audit_log
            WHERE (@beforeId = 0 OR id < @beforeId)
              AND (@principal = '' OR principal = @principal)
              AND (@method = '' OR method = @method)
              AND (@from IS NULL OR at >= @from)
              AND (@until IS NULL OR at < @until)
            ORDER BY id DESC LIMIT @limit
            """,
            new { beforeId, limit, principal, method, from = from?.ToUnixTimeMilliseconds(), until = until?.ToUnixTimeMilliseconds() })
            .Select(r => new AuditRecord(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.Principal, r.Role, r.Method, r.ClientAddress,
                r.RequestId, r.FirstEvent, r.LastEvent))
            .ToList();

    private sealed record Row(long Id, long At, string Principal, string Role, string Method, string ClientAddress, string RequestId,
        long? FirstEvent, long? LastEvent);
}
