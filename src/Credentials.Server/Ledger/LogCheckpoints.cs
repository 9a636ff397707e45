using System.Text;
using Credentials.Core.Ledger;
using Credentials.Store;
using Credentials.Store.Ledger;
using Credentials.Store.Writing;

namespace Credentials.Server.Ledger;

/// <summary>
/// Signed checkpoints, made on demand: the first request for a tree size computes its root from the stored
/// nodes (one query), signs it with the log key and records it in ledger_checkpoints, so every later request
/// for that size gets the same bytes. The newest one is cached: a platform polling an idle log costs one
/// size query per call.
/// </summary>
public sealed class LogCheckpoints(Database database, StoreWriter writer, LogKey key, TimeProvider time)
{
    private readonly SemaphoreSlim _signing = new(1, 1);
    private volatile StoredCheckpoint? _latest;

    /// <summary>The checkpoint of the tree as it is now.</summary>
    public async Task<StoredCheckpoint> CurrentAsync(CancellationToken cancellationToken)
    {
        long size;
        using (var connection = database.OpenReader())
        {
            size = LedgerRepository.Size(connection);
        }
        return await ForSizeAsync(size, cancellationToken);
    }

    /// <summary>The checkpoint of the tree of <paramref name="treeSize"/> leaves, which the caller knows to exist (at most the current size).</summary>
    public async Task<StoredCheckpoint> ForSizeAsync(long treeSize, CancellationToken cancellationToken)
    {
        if (_latest is { } latest && latest.TreeSize == treeSize)
        {
            return latest;
        }
        await _signing.WaitAsync(cancellationToken);
        try
        {
            if (_latest is { } again && again.TreeSize == treeSize)
            {
                return again;
            }
            var verifierKey = key.VerifierKey;
            StoredCheckpoint? checkpoint;
            using (var connection = database.OpenReader())
            {
                checkpoint = CheckpointRepository.Get(connection, treeSize, verifierKey);
            }
            if (checkpoint is null)
            {
                checkpoint = Sign(treeSize, verifierKey);
                var issued = checkpoint;
                // Bookkeeping, not the caller's write: no audit record, whoever's call caused it.
                await writer.ExecuteAsync(null, tx =>
                {
                    CheckpointRepository.Insert(tx.Connection, tx.Transaction, issued);
                    return true;
                }, cancellationToken);
            }
            if (_latest is null || treeSize >= _latest.TreeSize)
            {
                _latest = checkpoint;
            }
            return checkpoint;
        }
        finally
        {
            _signing.Release();
        }
    }

    private StoredCheckpoint Sign(long treeSize, string verifierKey)
    {
        byte[] root;
        using (var connection = database.OpenReader())
        {
            root = LedgerRepository.Run(connection, NodePlan.Root(treeSize))[0];
        }
        var note = new Checkpoint(key.Origin, treeSize, root).Sign(key.Signer);
        return new StoredCheckpoint(treeSize, root, note, verifierKey, time.GetUtcNow());
    }

    /// <summary>The note as text (it is UTF-8), for printing.</summary>
    public static string NoteText(StoredCheckpoint checkpoint) => Encoding.UTF8.GetString(checkpoint.Note);
}
