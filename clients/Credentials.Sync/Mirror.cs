using Credentials.Core.Ledger;
using Microsoft.Data.Sqlite;

namespace Credentials.Sync;

/// <summary>
/// The platform's local copy of the log (SQLite): the events byte for byte, the checkpoints it verified, the
/// pinned log identity (origin and verifier key), and the right edge of the tree at the last verified
/// checkpoint (<see cref="CompactRange"/> peaks), so an incremental sync hashes only the new events.
/// Events beyond the last verified checkpoint are unverified: kept to resume a broken stream, discarded when
/// verification fails.
/// </summary>
public sealed class Mirror : IDisposable
{
    private readonly SqliteConnection _connection;

    public Mirror(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS log (
                id           INTEGER PRIMARY KEY CHECK (id = 1),
                origin       TEXT NOT NULL,
                verifier_key TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS events (
                leaf_index INTEGER PRIMARY KEY,
                body       BLOB NOT NULL
            );
            CREATE TABLE IF NOT EXISTS checkpoints (
                tree_size   INTEGER PRIMARY KEY,
                root_hash   BLOB    NOT NULL,
                note        BLOB    NOT NULL,
                verified_at INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS peaks (
                level INTEGER NOT NULL,
                idx   INTEGER NOT NULL,
                hash  BLOB    NOT NULL,
                PRIMARY KEY (level, idx)
            ) WITHOUT ROWID;
            """);
    }

    /// <summary>The pinned origin and verifier key, or null before the first sync.</summary>
    public (string Origin, string VerifierKey)? Identity()
    {
        using var command = Command("SELECT origin, verifier_key FROM log WHERE id = 1");
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    public void Pin(string origin, string verifierKey)
    {
        using var command = Command("INSERT INTO log (id, origin, verifier_key) VALUES (1, $origin, $key)");
        command.Parameters.AddWithValue("$origin", origin);
        command.Parameters.AddWithValue("$key", verifierKey);
        command.ExecuteNonQuery();
    }

    /// <summary>The last verified checkpoint's size and root; (0, empty-tree hash) before the first.</summary>
    public (long Size, byte[] Root) LastVerified()
    {
        using var command = Command("SELECT tree_size, root_hash FROM checkpoints ORDER BY tree_size DESC LIMIT 1");
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : (0, MerkleHash.EmptyRoot.ToArray());
    }

    /// <summary>Events held: one past the highest leaf index.</summary>
    public long EventCount()
    {
        using var command = Command("SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM events");
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The tree's right edge at the last verified checkpoint of <paramref name="size"/> leaves.</summary>
    public CompactRange LoadRange(long size)
    {
        var hashes = new Dictionary<NodeId, byte[]>();
        using (var command = Command("SELECT level, idx, hash FROM peaks"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                hashes[new NodeId(reader.GetInt32(0), reader.GetInt64(1))] = reader.GetFieldValue<byte[]>(2);
            }
        }
        return CompactRange.FromPeaks(size, hashes);
    }

    /// <summary>The bodies of leaves [from, to), in order.</summary>
    public IEnumerable<(long Index, byte[] Body)> Events(long from, long to)
    {
        using var command = Command("SELECT leaf_index, body FROM events WHERE leaf_index >= $from AND leaf_index < $to ORDER BY leaf_index");
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
        }
    }

    /// <summary>Stores a batch of received events in one transaction (a broken stream resumes after the last batch).</summary>
    public void Append(IReadOnlyList<(long Index, ReadOnlyMemory<byte> Body)> events)
    {
        using var transaction = _connection.BeginTransaction();
        using var command = Command("INSERT INTO events (leaf_index, body) VALUES ($index, $body)");
        command.Transaction = transaction;
        var index = command.Parameters.Add("$index", SqliteType.Integer);
        var body = command.Parameters.Add("$body", SqliteType.Blob);
        foreach (var (i, b) in events)
        {
            index.Value = i;
            body.Value = b.ToArray();
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>Records a verified checkpoint and the tree's right edge at it, in one transaction.</summary>
    public void SaveVerified(Checkpoint checkpoint, byte[] note, CompactRange range, DateTimeOffset now)
    {
        using var transaction = _connection.BeginTransaction();
        using (var command = Command("INSERT OR REPLACE INTO checkpoints (tree_size, root_hash, note, verified_at) VALUES ($size, $root, $note, $at)"))
        {
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$size", checkpoint.Size);
            command.Parameters.AddWithValue("$root", checkpoint.RootHash.ToArray());
            command.Parameters.AddWithValue("$note", note);
            command.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }
        using (var command = Command("DELETE FROM peaks"))
        {
            command.Transaction = transaction;
            command.ExecuteNonQuery();
        }
        using (var command = Command("INSERT INTO peaks (level, idx, hash) VALUES ($level, $idx, $hash)"))
        {
            command.Transaction = transaction;
            var level = command.Parameters.Add("$level", SqliteType.Integer);
            var index = command.Parameters.Add("$idx", SqliteType.Integer);
            var hash = command.Parameters.Add("$hash", SqliteType.Blob);
            foreach (var peak in range.Peaks())
            {
                level.Value = peak.Id.Level;
                index.Value = peak.Id.Index;
                hash.Value = peak.Hash;
                command.ExecuteNonQuery();
            }
        }
        transaction.Commit();
    }

    /// <summary>Deletes the events beyond the last verified checkpoint: the mirror keeps verified history only.</summary>
    public void DiscardFrom(long size)
    {
        using var command = Command("DELETE FROM events WHERE leaf_index >= $size");
        command.Parameters.AddWithValue("$size", size);
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }
}
