using Credentials.Core.Ledger;
using Credentials.V1;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace Credentials.Bench;

/// <summary>
/// Fills a store's ledger fast for the benchmarks: events and their complete-subtree nodes written with one
/// prepared statement each in large transactions, synchronous=OFF, the nodes computed by a CompactRange (real
/// SHA-256 hashes, exactly the nodes LedgerWriter would have written). Not how the service writes; how a
/// benchmark gets ten million leaves in minutes instead of hours.
/// </summary>
internal static class LedgerBulkLoad
{
    private const int TransactionSize = 200_000;

    /// <summary>A certificate-issued event of realistic size (~1 KB: an envelope with a 700-byte payload and an SM2 signature).</summary>
    public static LedgerEvent SampleEvent(long sequence)
    {
        var payload = new byte[700];
        var signature = new byte[72];
        new Random((int)sequence).NextBytes(payload);
        Random.Shared.NextBytes(signature);
        return new LedgerEvent
        {
            Sequence = (ulong)sequence,
            Time = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 12, 20, 2, 0, 0, TimeSpan.Zero)),
            Actor = "dl-s01",
            CommitteeCode = "DL-S01",
            ReviewYear = 2024,
            CertificateIssued = new CertificateIssued
            {
                Number = $"DL-S01-2024-{sequence % 1_000_000:D6}X",
                Level = TitleLevel.DeputySenior,
                Series = "工程系列",
                Envelope = new Envelope
                {
                    PayloadType = "application/vnd.credentials.certificate.v2+protobuf",
                    Payload = ByteString.CopyFrom(payload),
                    Signatures = { new Signature { Keyid = "sm2-0123456789abcdef", Sig = ByteString.CopyFrom(signature) } },
                },
            },
        };
    }

    /// <summary>
    /// Appends <paramref name="count"/> leaves to the (empty) ledger of the database at <paramref name="path"/>.
    /// With <paramref name="withEvents"/> every event row is written too (for streaming); without, only the
    /// nodes and the last event row, so the store's size is right and proofs can be served.
    /// </summary>
    public static byte[] Load(string path, long count, bool withEvents, Action<long>? progress = null)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;";
            pragma.ExecuteNonQuery();
        }
        using var events = connection.CreateCommand();
        events.CommandText = "INSERT INTO ledger_events (seq, type, committee_code, review_year, body) VALUES ($seq, 12, 'DL-S01', 2024, $body)";
        var seq = events.Parameters.Add("$seq", SqliteType.Integer);
        var body = events.Parameters.Add("$body", SqliteType.Blob);
        using var nodes = connection.CreateCommand();
        nodes.CommandText = "INSERT INTO merkle_nodes (level, idx, hash) VALUES ($level, $idx, $hash)";
        var level = nodes.Parameters.Add("$level", SqliteType.Integer);
        var index = nodes.Parameters.Add("$idx", SqliteType.Integer);
        var hash = nodes.Parameters.Add("$hash", SqliteType.Blob);

        var range = new CompactRange();
        var newNodes = new List<MerkleNode>();
        var template = SampleEvent(0);
        var transaction = connection.BeginTransaction();
        for (long i = 0; i < count; i++)
        {
            template.Sequence = (ulong)i;
            var bytes = template.ToByteArray();
            if (withEvents || i == count - 1)
            {
                events.Transaction = transaction;
                seq.Value = i;
                body.Value = bytes;
                events.ExecuteNonQuery();
            }
            range.Append(MerkleHash.HashLeaf(bytes), newNodes);
            nodes.Transaction = transaction;
            foreach (var node in newNodes)
            {
                level.Value = node.Id.Level;
                index.Value = node.Id.Index;
                hash.Value = node.Hash;
                nodes.ExecuteNonQuery();
            }
            newNodes.Clear();
            if ((i + 1) % TransactionSize == 0)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                progress?.Invoke(i + 1);
            }
        }
        transaction.Commit();
        transaction.Dispose();
        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        return range.Root();
    }
}
