using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Ledger;

/// <summary>A signed checkpoint as issued: the tree size, its root, the exact note and the key that signed it.</summary>
public sealed record StoredCheckpoint(long TreeSize, byte[] RootHash, byte[] Note, string VerifierKey, DateTimeOffset SignedAt);

/// <summary>The checkpoints the log has issued (ledger_checkpoints); rows are only ever added.</summary>
public static class CheckpointRepository
{
    public static StoredCheckpoint? Get(SqliteConnection connection, long treeSize, string verifierKey) =>
        connection.Query<Row>(
            "SELECT tree_size, root_hash, note, verifier_key, signed_at FROM ledger_checkpoints WHERE tree_size = @treeSize AND verifier_key = @verifierKey",
            new { treeSize, verifierKey }).Select(r => r.ToStored()).SingleOrDefault();

    /// <summary>Every checkpoint issued, oldest tree first (for audits and tests).</summary>
    public static IReadOnlyList<StoredCheckpoint> List(SqliteConnection connection) =>
        connection.Query<Row>("SELECT tree_size, root_hash, note, verifier_key, signed_at FROM ledger_checkpoints ORDER BY tree_size, signed_at")
            .Select(r => r.ToStored()).ToList();

    /// <summary>Records a checkpoint; one already recorded for the size and key is kept (signatures are deterministic, so it is the same note).</summary>
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, StoredCheckpoint checkpoint) =>
        connection.Execute(
            """
            INSERT INTO ledger_checkpoints (tree_size, root_hash, note, verifier_key, signed_at)
            VALUES (@TreeSize, @RootHash, @Note, @VerifierKey, @SignedAt)
            ON CONFLICT (tree_size, verifier_key) DO NOTHING
            """,
            new { checkpoint.TreeSize, checkpoint.RootHash, checkpoint.Note, checkpoint.VerifierKey, SignedAt = checkpoint.SignedAt.ToUnixTimeMilliseconds() },
            transaction);

    private sealed record Row(long TreeSize, byte[] RootHash, byte[] Note, string VerifierKey, long SignedAt)
    {
        public StoredCheckpoint ToStored() => new(TreeSize, RootHash, Note, VerifierKey, DateTimeOffset.FromUnixTimeMilliseconds(SignedAt));
    }
}
