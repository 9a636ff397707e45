using Credentials.Core.Ledger;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Ledger;

/// <summary>Reads of the ledger: its size, single events, and the stored nodes of roots and proofs.</summary>
public static class LedgerRepository
{
    /// <summary>
    /// Events committed so far: the size of the current tree. Every event commits with its Merkle nodes, so
    /// the nodes of any tree up to this size are there.
    /// </summary>
    public static long Size(SqliteConnection connection) =>
        connection.ExecuteScalar<long>("SELECT COALESCE(MAX(seq) + 1, 0) FROM ledger_events");

    /// <summary>The stored bytes of event <paramref name="sequence"/>, or null.</summary>
    public static byte[]? EventBody(SqliteConnection connection, long sequence) =>
        connection.ExecuteScalar<byte[]?>("SELECT body FROM ledger_events WHERE seq = @sequence", new { sequence });

    /// <summary>The sequence number of a certificate's issuance event, or null when no such certificate was issued.</summary>
    public static long? IssuanceEvent(SqliteConnection connection, string number) =>
        connection.ExecuteScalar<long?>("SELECT event_seq FROM certificates WHERE number = @number", new { number });

    /// <summary>Runs a root or proof plan: one query for its nodes, then the assembly.</summary>
    /// <exception cref="InvalidOperationException">A node the plan needs is not stored (a damaged store).</exception>
    public static byte[][] Run(SqliteConnection connection, NodePlan plan) =>
        plan.Assemble(MerkleNodeRepository.Fetch(connection, plan.NodeIds));
}
