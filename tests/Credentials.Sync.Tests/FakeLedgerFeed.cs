using System.Runtime.CompilerServices;
using System.Text;
using Credentials.Core.Ledger;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Sync.Tests;

/// <summary>
/// A log in memory that a test can make misbehave: <see cref="Served"/> is what the stream sends (edit or remove
/// entries to tamper), the tree and checkpoints are built from <see cref="Committed"/>.
/// </summary>
internal sealed class FakeLedgerFeed : ILedgerFeed
{
    public const string Origin = "test.example/log";

    public NoteSigner Signer { get; set; } = NoteSigner.Generate(Origin);

    /// <summary>The leaves the tree is built from.</summary>
    public List<byte[]> Committed { get; } = [];

    /// <summary>What StreamEvents sends, by leaf index; null entries are left out (deleted).</summary>
    public List<byte[]?> Served { get; } = [];

    /// <summary>When set, the stream stops after this many event messages, without its checkpoint.</summary>
    public int? BreakAfterMessages { get; set; }

    public int BatchSize { get; set; } = 2;

    public List<(long First, long Second)> ConsistencyRequests { get; } = [];

    public void Append(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var body = Encoding.UTF8.GetBytes($"event {Committed.Count}");
            Committed.Add(body);
            Served.Add(body);
        }
    }

    /// <summary>Rewrites history: keeps the first <paramref name="keep"/> leaves and appends others in place of the rest.</summary>
    public void Fork(int keep, int count)
    {
        Committed.RemoveRange(keep, Committed.Count - keep);
        Served.RemoveRange(keep, Served.Count - keep);
        for (var i = 0; i < count; i++)
        {
            var body = Encoding.UTF8.GetBytes($"forged event {keep + i}");
            Committed.Add(body);
            Served.Add(body);
        }
    }

    public Task<GetCheckpointResponse> GetCheckpointAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new GetCheckpointResponse { Checkpoint = SignedCheckpoint(), VerifierKey = Signer.Verifier.VerifierKey });

    public Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long firstTreeSize, long secondTreeSize, CancellationToken cancellationToken)
    {
        ConsistencyRequests.Add((firstTreeSize, secondTreeSize));
        return Task.FromResult<IReadOnlyList<byte[]>>(Tree().ConsistencyProof(firstTreeSize, secondTreeSize));
    }

    public async IAsyncEnumerable<StreamEventsResponse> StreamEventsAsync(long startIndex, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var messages = 0;
        for (var next = startIndex; next < Committed.Count; next += BatchSize)
        {
            if (messages++ == BreakAfterMessages)
            {
                yield break;
            }
            var message = new StreamEventsResponse { NextIndex = Math.Min(next + BatchSize, Committed.Count) };
            for (var i = next; i < message.NextIndex; i++)
            {
                if (i < Served.Count && Served[(int)i] is { } body)
                {
                    message.Entries.Add(new LedgerEntry { LeafIndex = i, Event = ByteString.CopyFrom(body) });
                }
            }
            yield return message;
        }
        yield return new StreamEventsResponse { NextIndex = Committed.Count, Checkpoint = SignedCheckpoint() };
    }

    private SignedCheckpoint SignedCheckpoint()
    {
        var root = Tree().Root(Committed.Count);
        return new SignedCheckpoint
        {
            Note = ByteString.CopyFrom(new Checkpoint(Origin, Committed.Count, root).Sign(Signer)),
            Origin = Origin,
            TreeSize = Committed.Count,
            RootHash = ByteString.CopyFrom(root),
        };
    }

    private InMemoryNodeStore Tree()
    {
        var tree = new InMemoryNodeStore();
        foreach (var body in Committed)
        {
            tree.Append(MerkleHash.HashLeaf(body));
        }
        return tree;
    }
}
