using Microsoft.Data.Sqlite;

namespace Credentials.Store.Verification;

/// <summary>What a verification needs of a certificate: the holder digest, the issuing event and the revocation, if any.</summary>
public sealed record VerifiableCertificate(byte[] HolderDigest, byte[] IssuingEvent, int? RevocationReason, string? RevocationEffectiveDate);

/// <summary>
/// The read of the verification hot path: one indexed query by number, nothing else. Kept apart
/// from CertificateRepository.Get so that it reads only the columns a verification needs.
/// </summary>
public static class VerificationLookup
{
    private const string Sql = """
        SELECT c.holder_digest, e.body, r.reason, r.effective_date
        FROM certificates c
        JOIN ledger_events e ON e.seq = c.event_seq
        LEFT JOIN revocations r ON r.number = c.number
        WHERE c.number = $number
        """;

    public static VerifiableCertificate? Find(SqliteConnection connection, string number)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("$number", number);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        return new VerifiableCertificate(
            (byte[])reader.GetValue(0),
            (byte[])reader.GetValue(1),
            reader.IsDBNull(2) ? null : reader.GetInt32(2),
            reader.IsDBNull(3) ? null : reader.GetString(3));
    }
}
