using System.Globalization;
using System.Text;
using Credentials.Core.Ledger;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Ledger;

/// <summary>The stored complete-subtree hashes of the Merkle tree; every lookup is one query.</summary>
public static class MerkleNodeRepository
{
    /// <summary>The hashes of <paramref name="ids"/> that exist, in one query.</summary>
    public static Dictionary<NodeId, byte[]> Fetch(SqliteConnection connection, IReadOnlyList<NodeId> ids, SqliteTransaction? transaction = null)
    {
        var hashes = new Dictionary<NodeId, byte[]>(ids.Count);
        if (ids.Count == 0)
        {
            return hashes;
        }
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("SELECT level, idx, hash FROM merkle_nodes WHERE (level, idx) IN (VALUES ");
        for (var i = 0; i < ids.Count; i++)
        {
            var level = "$l" + i.ToString(CultureInfo.InvariantCulture);
            var index = "$i" + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ").Append('(').Append(level).Append(", ").Append(index).Append(')');
            command.Parameters.AddWithValue(level, ids[i].Level);
            command.Parameters.AddWithValue(index, ids[i].Index);
        }
        command.CommandText = sql.Append(')').ToString();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            hashes[new NodeId(reader.GetInt32(0), reader.GetInt64(1))] = (byte[])reader.GetValue(2);
        }
        return hashes;
    }

    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<MerkleNode> nodes)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO merkle_nodes (level, idx, hash) VALUES ($level, $idx, $hash)";
        var level = command.Parameters.Add("$level", SqliteType.Integer);
        var index = command.Parameters.Add("$idx", SqliteType.Integer);
        var hash = command.Parameters.Add("$hash", SqliteType.Blob);
        foreach (var node in nodes)
        {
            level.Value = node.Id.Level;
            index.Value = node.Id.Index;
            hash.Value = node.Hash;
            command.ExecuteNonQuery();
        }
    }
}
