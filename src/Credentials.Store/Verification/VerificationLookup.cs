using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Verification;

/// <summary>
/// What a verification needs of a certificate: the holder digest, the event with its current document (the issuing
/// event, or its last reissue) and the revocation, if any.
/// </summary>
public sealed record VerifiableCertificate(byte[] HolderDigest, byte[] IssuingEvent, int? RevocationReason, string? RevocationEffectiveDate);

/// <summary>
/// The read of the verification hot path: one indexed query by number. Each concurrent caller
/// borrows an open read-only connection with the statement already prepared, so a lookup costs
/// one step of SQLite and nothing else (no open, no parse); the connections are returned for the
/// next lookup and closed with the lookup. Every lookup is its own read transaction and sees
/// every committed write.
/// </summary>
public sealed class VerificationLookup(Database database) : IDisposable
{
    private const string Sql = """
        SELECT c.holder_digest, e.body, r.reason, r.effective_date
        FROM certificates c
        JOIN ledger_events e ON e.seq = COALESCE(c.document_seq, c.event_seq)
        LEFT JOIN revocations r ON r.number = c.number
        WHERE c.number = $number
        """;

    /// <summary>Idle prepared readers kept beyond this are closed.</summary>
    private const int MaxIdle = 64;

    private readonly ConcurrentBag<PreparedReader> _idle = [];

    public VerifiableCertificate? Find(string number)
    {
        var reader = _idle.TryTake(out var idle) ? idle : new PreparedReader(database.OpenReader());
        try
        {
            var found = reader.Find(number);
            if (_idle.Count < MaxIdle)
            {
                _idle.Add(reader);
                reader = null;
            }
            return found;
        }
        finally
        {
            reader?.Dispose();
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private sealed class PreparedReader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _number;

        public PreparedReader(SqliteConnection connection)
        {
            _connection = connection;
            _command = connection.CreateCommand();
            _command.CommandText = Sql;
            _number = _command.Parameters.Add("$number", SqliteType.Text);
            _command.Prepare();
        }

        public VerifiableCertificate? Find(string number)
        {
            _number.Value = number;
            using var reader = _command.ExecuteReader();
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

        public void Dispose()
        {
            _command.Dispose();
            _connection.Dispose();
        }
    }
}
