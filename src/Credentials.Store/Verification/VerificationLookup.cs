using Credentials.Core.Certificates;
using System.Collections.Concurrent;
using Credentials.V1;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Credentials.Store.Verification;

/// <summary>
/// What a verification needs of a certificate: the holder digest, the signed document (the payload of
/// the envelope of its current document's event, the issuance or its last reissue, exactly as signed) and
/// the revocation, if any.
/// </summary>
public sealed record VerifiableCertificate(byte[] HolderDigest, ByteString SignedDocument, int? RevocationReason, string? RevocationEffectiveDate);

/// <summary>
/// The read of the verification hot path: one indexed query by number. Each concurrent caller
/// borrows an open read-only connection with the statement already prepared, so a lookup costs
/// one step of SQLite and nothing else (no open, no parse); the connections are returned for the
/// next lookup and closed with the lookup. Every lookup is its own read transaction and sees
/// every committed write (the writer's <see cref="Writing.SharedReadLock"/> makes that transaction
/// cheap).
/// </summary>
public sealed class VerificationLookup(Database database) : IDisposable
{
    private const string Sql = """
        SELECT c.holder_digest, e.body, r.reason, r.effective_date
        FROM certificates c
        JOIN ledger_events e ON e.seq = COALESCE(c.document_seq, c.event_seq)
        LEFT JOIN revocations r ON r.number = c.number
        WHERE c.number = ?1
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
        private readonly PreparedStatement _query;

        public PreparedReader(SqliteConnection connection)
        {
            _connection = connection;
            // What Microsoft.Data.Sqlite's retries on SQLITE_BUSY would give (its default timeout), for the raw statement.
            raw.sqlite3_busy_timeout(connection.Handle, (int)TimeSpan.FromSeconds(30).TotalMilliseconds);
            _query = new PreparedStatement(connection, Sql);
        }

        public VerifiableCertificate? Find(string number)
        {
            _query.Bind(1, number);
            try
            {
                if (!_query.Step())
                {
                    return null;
                }
                // Parsed straight from SQLite's copy of the row: the event is needed only for its envelope's payload.
                var envelope = CertificateEvents.EnvelopeOf(LedgerEvent.Parser.ParseFrom(_query.Blob(1)));
                return new VerifiableCertificate(
                    _query.Blob(0).ToArray(),
                    envelope.Payload,
                    _query.IsNull(2) ? null : (int)_query.Int64(2),
                    _query.IsNull(3) ? null : _query.Text(3));
            }
            finally
            {
                _query.Reset();
            }
        }

        public void Dispose()
        {
            _query.Dispose();
            _connection.Dispose();
        }
    }
}
