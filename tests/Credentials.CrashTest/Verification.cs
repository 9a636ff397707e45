using System.Collections.Concurrent;
using Credentials.Core.Ledger;
using Credentials.V1;
using Dapper;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;

namespace Credentials.CrashTest;

/// <summary>After a restart: the acknowledged certificates through the API, the store through SQLite.</summary>
internal static class Verification
{
    public sealed record Result(long Found, long LedgerEvents, long MerkleNodes, string Integrity, List<string> Problems)
    {
        public override string ToString() =>
            $"found {Found}, ledger {LedgerEvents} events / {MerkleNodes} nodes match, integrity_check {Integrity}" +
            (Problems.Count == 0 ? "" : $", {Problems.Count} PROBLEMS");
    }

    public static async Task<Result> CheckAsync(string address, string token, string databasePath, ConcurrentDictionary<string, string> acknowledged)
    {
        var problems = new ConcurrentBag<string>();
        long found = 0;
        using (var channel = GrpcChannel.ForAddress(address))
        {
            var certificates = new CertificateService.CertificateServiceClient(channel);
            var headers = new Metadata { { "authorization", "Bearer " + token } };
            await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (entry, _) =>
            {
                try
                {
                    var certificate = (await certificates.GetCertificateAsync(new GetCertificateRequest { Number = entry.Key }, headers)).Certificate;
                    if (certificate.QrText != entry.Value || certificate.State != CertificateState.Valid)
                    {
                        problems.Add($"{entry.Key} changed: state {certificate.State}, same envelope {certificate.QrText == entry.Value}");
                    }
                    else
                    {
                        Interlocked.Increment(ref found);
                    }
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    problems.Add($"{entry.Key} missing after the restart");
                }
            });
        }
        var (events, nodes, integrity) = CheckStore(databasePath, problems);
        return new Result(found, events, nodes, integrity, [.. problems]);
    }

    /// <summary>
    /// PRAGMA integrity_check, then the Merkle tree rebuilt from the ledger's event bytes (RFC 9162
    /// leaves, in sequence order) against every stored node, and the roots compared.
    /// </summary>
    private static (long Events, long Nodes, string Integrity) CheckStore(string databasePath, ConcurrentBag<string> problems)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var snapshot = connection.BeginTransaction(deferred: true);
        var integrity = string.Join("; ", connection.Query<string>("PRAGMA integrity_check", transaction: snapshot));
        if (integrity != "ok")
        {
            problems.Add($"integrity_check: {integrity}");
        }
        var rebuilt = new CompactRange();
        var expected = new List<MerkleNode>();
        long next = 0;
        using (var reader = connection.ExecuteReader("SELECT seq, body FROM ledger_events ORDER BY seq", transaction: snapshot))
        {
            while (reader.Read())
            {
                if (reader.GetInt64(0) != next)
                {
                    problems.Add($"ledger sequence jumps from {next} to {reader.GetInt64(0)}");
                }
                next = reader.GetInt64(0) + 1;
                rebuilt.Append(MerkleHash.HashLeaf((byte[])reader.GetValue(1)), expected);
            }
        }
        var stored = connection.Query<(long Level, long Index, byte[] Hash)>("SELECT level, idx, hash FROM merkle_nodes", transaction: snapshot)
            .ToDictionary(n => new NodeId((int)n.Level, n.Index), n => n.Hash);
        if (stored.Count != expected.Count)
        {
            problems.Add($"{stored.Count} stored Merkle nodes, {expected.Count} expected from {rebuilt.Size} events");
        }
        foreach (var node in expected.Where(n => !stored.TryGetValue(n.Id, out var hash) || !hash.AsSpan().SequenceEqual(n.Hash)))
        {
            problems.Add($"Merkle node {node.Id} differs from the one recomputed from the events");
        }
        var storedRoot = CompactRange.FromPeaks(rebuilt.Size, stored).Root();
        if (!storedRoot.AsSpan().SequenceEqual(rebuilt.Root()))
        {
            problems.Add("the stored tree's root differs from the root recomputed from the events");
        }
        CheckSerials(connection, snapshot, problems);
        return (rebuilt.Size, stored.Count, integrity);
    }

    /// <summary>The serials of each committee and review year are 1 to N, whatever the kill cut (serials are unique per committee and year).</summary>
    private static void CheckSerials(SqliteConnection connection, SqliteTransaction snapshot, ConcurrentBag<string> problems)
    {
        var lanes = connection.Query<(string Committee, long Year, long Count, long Min, long Max)>(
            "SELECT committee_code, review_year, COUNT(*), MIN(serial), MAX(serial) FROM certificates GROUP BY committee_code, review_year",
            transaction: snapshot);
        foreach (var lane in lanes.Where(l => l.Min != 1 || l.Max != l.Count))
        {
            problems.Add($"serials of {lane.Committee} {lane.Year} have holes: {lane.Count} certificates with serials {lane.Min} to {lane.Max}");
        }
    }
}
