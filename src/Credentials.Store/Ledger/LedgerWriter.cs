using Credentials.Core.Ledger;
using Credentials.V1;
using Dapper;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Ledger;

/// <summary>
/// Appends ledger events inside the writer's transaction: each gets the next sequence number
/// (its leaf index), the commit time and the actor; its bytes are stored exactly as hashed into
/// the RFC 9162 tree, whose new complete-subtree nodes are stored with it.
/// </summary>
public sealed class LedgerWriter
{
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;
    private DateTimeOffset _now;
    private long _next;
    private long _unitStart;

    internal LedgerWriter(SqliteConnection connection) => _connection = connection;

    /// <summary>The number of events once the current unit commits.</summary>
    public long Size => _next;

    internal void BeginGroup(SqliteTransaction transaction, DateTimeOffset now)
    {
        _transaction = transaction;
        _now = now;
        // Read every group: an admin command in another process may have appended meanwhile.
        _next = _connection.ExecuteScalar<long>("SELECT COALESCE(MAX(seq) + 1, 0) FROM ledger_events", transaction: transaction);
    }

    internal void BeginUnit() => _unitStart = _next;

    internal void RollbackUnit() => _next = _unitStart;

    /// <summary>Completes the event's header, stores it and returns its sequence number.</summary>
    public long Append(LedgerEvent change, string actor)
    {
        var sequence = _next;
        change.Sequence = (ulong)sequence;
        change.Time = Timestamp.FromDateTimeOffset(_now);
        change.Actor = actor;
        var body = change.ToByteArray();
        _connection.Execute(
            "INSERT INTO ledger_events (seq, type, committee_code, review_year, body) VALUES (@sequence, @type, @committee, @year, @body)",
            new
            {
                sequence,
                type = (int)change.ChangeCase,
                committee = change.CommitteeCode.Length == 0 ? null : change.CommitteeCode,
                year = change.ReviewYear == 0 ? (int?)null : change.ReviewYear,
                body,
            },
            _transaction);
        // The event's bytes, exactly as stored, are the leaf; its new complete subtrees go in the same transaction.
        var siblings = MerkleNodeRepository.Fetch(_connection, LogAppend.SiblingIds(sequence), _transaction);
        MerkleNodeRepository.Insert(_connection, _transaction!, LogAppend.NewNodes(sequence, MerkleHash.HashLeaf(body), siblings));
        _next = sequence + 1;
        return sequence;
    }
}
