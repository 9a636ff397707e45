using Microsoft.Data.Sqlite;

namespace Credentials.Store.Writing;

/// <summary>
/// What a unit of work sees inside the writer: the connection and transaction of the current
/// group commit, the commit's clock reading, and the ledger to append events to. A unit of work
/// runs inside its own savepoint: if it throws, its changes (ledger appends included) vanish
/// and the other units of the group still commit.
/// </summary>
public sealed class WriteTransaction
{
    internal WriteTransaction(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now, Ledger.LedgerWriter ledger)
    {
        Connection = connection;
        Transaction = transaction;
        Now = now;
        Ledger = ledger;
    }

    public SqliteConnection Connection { get; }

    public SqliteTransaction Transaction { get; }

    /// <summary>The time of this group commit (UTC), the same for every unit in it.</summary>
    public DateTimeOffset Now { get; }

    public Ledger.LedgerWriter Ledger { get; }
}
