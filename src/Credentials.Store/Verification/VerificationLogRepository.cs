using Credentials.Store.Writing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Verification;

/// <summary>The access log: appended in batches by the server's log writer, listed by the authority and the platform.</summary>
public static class VerificationLogRepository
{
    private const string InsertSql = """
        INSERT INTO verifications (at, principal, role, client_address, request_id, method, certificate_number, result, share_code_id)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
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
            insert.Bind(9, entry.ShareCodeId);
            insert.Step();
            insert.Reset();
        }
    }

    /// <summary>Rows before <paramref name="beforeId"/> (0: from the newest), newest first; empty filters match all.</summary>
    public static IReadOnlyList<StoredVerification> List(SqliteConnection connection, long beforeId, int limit, string certificateNumber, string principal) =>
        connection.Query<Row>(ListSql(certificateNumber.Length > 0, principal.Length > 0),
            new { beforeId = beforeId == 0 ? long.MaxValue : beforeId, limit, certificateNumber, principal })
            .Select(r => r.ToStored())
            .ToList();

    /// <summary>
    /// The verifications of a holder's certificates (those whose holder digest is <paramref name="holderDigest"/>),
    /// before <paramref name="beforeId"/> (0: from the newest), newest first; <paramref name="certificateNumber"/>
    /// narrows them to one ("": all). Each certificate's rows are a range of the (certificate_number, id) index.
    /// </summary>
    public static IReadOnlyList<StoredVerification> ListForHolder(SqliteConnection connection, byte[] holderDigest, long beforeId, int limit,
        string certificateNumber) =>
        connection.Query<Row>(
            """
            SELECT v.* FROM verifications v
            WHERE v.certificate_number IN (SELECT c.number FROM certificates c WHERE c.holder_digest = @holderDigest
                                           AND (@certificateNumber = '' OR c.number = @certificateNumber))
              AND v.id < @beforeId
            ORDER BY v.id DESC LIMIT @limit
            """,
            new { holderDigest, beforeId = beforeId == 0 ? long.MaxValue : beforeId, limit, certificateNumber })
            .Select(r => r.ToStored())
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
        string CertificateNumber, long Result, long? ShareCodeId)
    {
        public StoredVerification ToStored() => new(Id, new VerificationLogEntry(DateTimeOffset.FromUnixTimeMilliseconds(At), Principal, Role,
            ClientAddress, RequestId, (int)Method, CertificateNumber, (int)Result, ShareCodeId));
    }
}
