using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Verification;

/// <summary>The access log: appended in batches by the server's log writer, listed by the authority and the platform.</summary>
public static class VerificationLogRepository
{
    private const string InsertSql = """
        INSERT INTO verifications (at, principal, role, client_address, request_id, method, certificate_number, result, share_code_id)
        VALUES ($at, $principal, $role, $address, $requestId, $method, $number, $result, $shareCode)
        """;

    /// <summary>Appends the entries in order with one prepared statement.</summary>
    public static void InsertMany(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<VerificationLogEntry> entries)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertSql;
        var at = command.Parameters.Add("$at", SqliteType.Integer);
        var principal = command.Parameters.Add("$principal", SqliteType.Text);
        var role = command.Parameters.Add("$role", SqliteType.Text);
        var address = command.Parameters.Add("$address", SqliteType.Text);
        var requestId = command.Parameters.Add("$requestId", SqliteType.Text);
        var method = command.Parameters.Add("$method", SqliteType.Integer);
        var number = command.Parameters.Add("$number", SqliteType.Text);
        var result = command.Parameters.Add("$result", SqliteType.Integer);
        var shareCode = command.Parameters.Add("$shareCode", SqliteType.Integer);
        command.Prepare();
        foreach (var entry in entries)
        {
            at.Value = entry.At.ToUnixTimeMilliseconds();
            principal.Value = entry.Principal;
            role.Value = entry.Role;
            address.Value = entry.ClientAddress;
            requestId.Value = entry.RequestId;
            method.Value = entry.Method;
            number.Value = entry.CertificateNumber;
            result.Value = entry.Result;
            shareCode.Value = entry.ShareCodeId is { } id ? id : DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Rows before <paramref name="beforeId"/> (0: from the newest), newest first; empty filters match all.</summary>
    public static IReadOnlyList<StoredVerification> List(SqliteConnection connection, long beforeId, int limit, string certificateNumber, string principal) =>
        connection.Query<Row>(
            """
            SELECT * FROM verifications
            WHERE (@beforeId = 0 OR id < @beforeId)
              AND (@certificateNumber = '' OR certificate_number = @certificateNumber)
              AND (@principal = '' OR principal = @principal)
            ORDER BY id DESC LIMIT @limit
            """,
            new { beforeId, limit, certificateNumber, principal })
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

    private sealed record Row(long Id, long At, string Principal, string Role, string ClientAddress, string RequestId, long Method,
        string CertificateNumber, long Result, long? ShareCodeId)
    {
        public StoredVerification ToStored() => new(Id, new VerificationLogEntry(DateTimeOffset.FromUnixTimeMilliseconds(At), Principal, Role,
            ClientAddress, RequestId, (int)Method, CertificateNumber, (int)Result, ShareCodeId));
    }
}
