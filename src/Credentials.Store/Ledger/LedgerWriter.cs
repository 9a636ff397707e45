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
/// <remarks>
/// The writer keeps the tree's right edge (a <see cref="CompactRange"/>, O(log n) hashes), so an append reads
/// nothing: it hashes the leaf, climbs over the peaks it completes and inserts the new nodes with prepared
/// statements. The edge is reloaded from the stored peaks whenever the stored size is not the one it expects
/// (another process appended, or a group failed), and a refused unit puts back the edge it started from.
/// </remarks>
public sealed class LedgerWriter
{
    private readonly SqliteConnection _connection;
    private readonly List<MerkleNode> _newNodes = [];
    private SqliteTransaction? _transaction;
    private DateTimeOffset _now;
    private long _next;
    private long _unitStart;
    private CompactRange? _range;
    private IReadOnlyList<MerkleNode>? _unitPeaks;
    private SqliteCommand? _insertEvent;
    private SqliteCommand? _insertNode;

    internal LedgerWriter(SqliteConnection connection) => _connection = connection;

    /// <summary>The number of events once the current unit commits.</summary>
    public long Size => _next;

    internal void BeginGroup(SqliteTransaction transaction, DateTimeOffset now)
    {
        _transaction = transaction;
        _now = now;
        // Read every group: an admin command in another process may have appended meanwhile.
        _next = _connection.ExecuteScalar<long>("SELECT COALESCE(MAX(seq) + 1, 0) FROM ledger_events", transaction: transaction);
        if (_range is null || _range.Size != _next)
        {
            _range = CompactRange.FromPeaks(_next, MerkleNodeRepository.Fetch(_connection, CompactRange.PeakIds(_next), transaction));
        }
    }

    internal void BeginUnit()
    {
        _unitStart = _next;
        _unitPeaks = null;
    }

    internal void RollbackUnit()
    {
        _next = _unitStart;
        if (_unitPeaks is not null)
        {
            _range = CompactRange.FromPeaks(_unitStart, _unitPeaks.ToDictionary(p => p.Id, p => p.Hash));
        }
    }

    /// <summary>The group's transaction did not commit: forget the edge, the next group reloads it.</summary>
    internal void AbortGroup() => _range = null;

    /// <summary>Completes the event's header, stores it and returns its sequence number.</summary>
    public long Append(LedgerEvent change, string actor)
    {
        var range = _range ?? throw new InvalidOperationException("Ledger appends happen inside a group commit.");
        // Only the first append of a unit pays for the snapshot a refusal would need.
        _unitPeaks ??= range.Peaks();
        var sequence = _next;
        change.Sequence = (ulong)sequence;
        change.Time = Timestamp.FromDateTimeOffset(_now);
        change.Actor = actor;
        var body = change.ToByteArray();
        var insertEvent = _insertEvent ??= Prepare(
            "INSERT INTO ledger_events (seq, type, committee_code, review_year, body) VALUES ($seq, $type, $committee, $year, $body)",
            "$seq", "$type", "$committee", "$year", "$body");
        insertEvent.Transaction = _transaction;
        insertEvent.Parameters[0].Value = sequence;
        insertEvent.Parameters[1].Value = (int)change.ChangeCase;
        insertEvent.Parameters[2].Value = change.CommitteeCode.Length == 0 ? DBNull.Value : change.CommitteeCode;
        insertEvent.Parameters[3].Value = change.ReviewYear == 0 ? DBNull.Value : change.ReviewYear;
        insertEvent.Parameters[4].Value = body;
        insertEvent.ExecuteNonQuery();

        // The event's bytes, exactly as stored, are the leaf; its new complete subtrees go in the same transaction.
        _newNodes.Clear();
        range.Append(MerkleHash.HashLeaf(body), _newNodes);
        var insertNode = _insertNode ??= Prepare("INSERT INTO merkle_nodes (level, idx, hash) VALUES ($level, $idx, $hash)", "$level", "$idx", "$hash");
        insertNode.Transaction = _transaction;
        foreach (var node in _newNodes)
        {
            insertNode.Parameters[0].Value = node.Id.Level;
            insertNode.Parameters[1].Value = node.Id.Index;
            insertNode.Parameters[2].Value = node.Hash;
            insertNode.ExecuteNonQuery();
        }
        _next = sequence + 1;
        return sequence;
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        return command;
    }
}
