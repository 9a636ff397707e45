using Credentials.Store.Writing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Verification;

/// <summary>The access log: appended in batches by the server's log writer, listed by the authority and the platform.</summary>
public static class VerificationLogRepository
{
    private const string InsertSql = """
        INSERT INTO verifications (at, principal, role, client_address, request_id, method, certificate_number, result)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        """;

    /// <summary>Appends the entries in order with one prepared statement, in the writer's transaction.</summary>
    public static void InsertMany(WriteTransaction tx, IReadOnlyList<VerificationLogEntry> entries)
    {
        // A row per verification: this runs as often as the lookup (see PreparedStatement).
        using var insert = new PreparedStatement(tx.Connection, InsertSql);
        foreach (var entry in entries)
        {
            insert.Bind(1, entry.At.ToUnixTimeMilliseconds());
            insert.Bind(2, entry.Principal);
            insert.Bind(3, entry.Role);
            insert.Bind(4, entry.ClientAddress);
            insert.Bind(5, entry.RequestId);
            insert.Bind(6, entry.Method);
            insert.Bind(7, entry.CertificateNumber);
            insert.Bind(8, entry.Result);
            insert.Step();
            insert.Reset();
        }
    }

    /// <summary>Rows before <paramref name="beforeId"/> (0: from the newest), newest first; empty filters match all.</summary>
    public static IReadOnlyList<StoredVerification> List(SqliteConnection connection, long beforeId, int limit, string certificateNumber, string principal) =>
        connection.Query<Row>(ListSql(certificateNumber.Length > 0, principal.Length > 0),
            new { beforeId = beforeId == 0 ? long.MaxValue : beforeId, limit, certificateNumber, principal })
            .Select(r => new StoredVerification(r.Id, new VerificationLogEntry(DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.Principal, r.Role,
                r.ClientAddress, r.RequestId, (int)r.Method, r.CertificateNumber, (int)r.Result)))
            .ToList();

    /// <summary>
    /// One query per combination of filters, each a range of one index walked backwards: a filter
    /// written as "(@x = '' OR x = @x)" makes SQLite scan the whole table, millions of rows.
    /// </summary>
    internal static string ListSql(bool byCertificate, bool byPrincipal)
    {
        var filters = (byCertificate, byPrincipal) switch
        {
            (true, true) => "certificate_number = @certificateNumber AND principal = @principal AND",
            (true, false) => "certificate_number = @certificateNumber AND",
            // The condition of the partial index, so that SQLite may use it.
            (false, true) => "principal = @principal AND principal <> '' AND",
            (false, false) => "",
        };
        return $"SELECT * FROM verifications WHERE {filters} id < @beforeId ORDER BY id DESC LIMIT @limit";
    }

    private sealed record Row(long Id, long At, string Principal, string Role, string ClientAddress, string RequestId, long Method,
        string CertificateNumber, long Result);
}
