using System.Security.Cryptography;
using Credentials.Core.Ledger;
using Credentials.V1;
using Grpc.Core;

namespace Credentials.Sync;

/// <summary>What one sync did.</summary>
public sealed record SyncResult(long PreviousSize, long TreeSize, long EventsReceived, string VerifierKey, bool PinnedNow);

/// <summary>
/// One sync of the mirror with the log: pull the events after what the mirror holds, then verify the closing
/// checkpoint: its signature by the pinned key, that it covers exactly the events received (no gap, nothing
/// missing at the end), that it is consistent with the last checkpoint verified before (RFC 9162 consistency
/// proof), and that the events hash to its root. Any failure is a <see cref="LedgerVerificationException"/>
/// and the unverified events are discarded, so the mirror only ever holds verified history.
/// </summary>
public sealed class LedgerSync(ILedgerFeed feed, Mirror mirror, TimeProvider time)
{
    /// <param name="logKey">The log's verifier key as the operator publishes it; null to pin the key the server reports (trust on first use).</param>
    public async Task<SyncResult> RunAsync(string? logKey, CancellationToken cancellationToken = default)
    {
        var (origin, verifierKey, pinnedNow) = await IdentityAsync(logKey, cancellationToken);
        var verifier = NoteVerifier.Parse(verifierKey);
        var (previousSize, previousRoot) = mirror.LastVerified();
        var range = mirror.LoadRange(previousSize);
        try
        {
            // Events from a stream that broke before its checkpoint: verified together with the new ones.
            foreach (var (index, body) in mirror.Events(previousSize, long.MaxValue))
            {
                Expect(range, index);
                range.Append(MerkleHash.HashLeaf(body));
            }
            var start = range.Size;
            var (note, received) = await PullAsync(range, cancellationToken);
            var checkpoint = Verify(note, origin, verifier, range, previousSize, previousRoot, await ProofAsync(previousSize, note, origin, verifier, cancellationToken));
            mirror.SaveVerified(checkpoint, note, range, time.GetUtcNow());
            return new SyncResult(previousSize, checkpoint.Size, received + (start - previousSize), verifierKey, pinnedNow);
        }
        catch (LedgerVerificationException)
        {
            mirror.DiscardFrom(previousSize);
            throw;
        }
    }

    private async Task<(string Origin, string VerifierKey, bool PinnedNow)> IdentityAsync(string? logKey, CancellationToken cancellationToken)
    {
        if (mirror.Identity() is { } pinned)
        {
            if (logKey is not null && logKey != pinned.VerifierKey)
            {
                throw new LedgerVerificationException(
                    $"the mirror is pinned to log key {pinned.VerifierKey}, but --log-key is {logKey}; a changed log key needs a new mirror");
            }
            return (pinned.Origin, pinned.VerifierKey, false);
        }
        var current = await feed.GetCheckpointAsync(cancellationToken);
        var key = logKey ?? current.VerifierKey;
        try
        {
            // The first checkpoint must verify under the key we are about to pin, and names the origin.
            var checkpoint = Checkpoint.Open(current.Checkpoint.Note.Span, current.Checkpoint.Origin, NoteVerifier.Parse(key));
            mirror.Pin(checkpoint.Origin, key);
            return (checkpoint.Origin, key, true);
        }
        catch (FormatException e)
        {
            throw new LedgerVerificationException($"the log's checkpoint does not verify under log key {key}: {e.Message}");
        }
    }

    /// <summary>Streams from the end of the mirror, appending each batch; returns the closing checkpoint note.</summary>
    private async Task<(byte[] Note, long Received)> PullAsync(CompactRange range, CancellationToken cancellationToken)
    {
        byte[]? note = null;
        long received = 0;
        try
        {
            await foreach (var message in feed.StreamEventsAsync(range.Size, cancellationToken))
            {
                if (note is not null)
                {
                    throw new LedgerVerificationException("the stream went on after its checkpoint");
                }
                if (message.Checkpoint is { } closing)
                {
                    note = closing.Note.ToByteArray();
                    continue;
                }
                var batch = new List<(long, ReadOnlyMemory<byte>)>(message.Entries.Count);
                foreach (var entry in message.Entries)
                {
                    Expect(range, entry.LeafIndex);
                    range.Append(MerkleHash.HashLeaf(entry.Event.Span));
                    batch.Add((entry.LeafIndex, entry.Event.Memory));
                }
                mirror.Append(batch);
                received += batch.Count;
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.OutOfRange)
        {
            throw new LedgerVerificationException(
                $"the log is now shorter than the {range.Size} leaves this mirror holds ({e.Status.Detail}): history was deleted");
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Cancelled or StatusCode.DeadlineExceeded or StatusCode.Internal)
        {
            throw new SyncInterruptedException($"the stream broke after {received} events ({e.StatusCode}); run again to resume from leaf {range.Size}", e);
        }
        catch (IOException e)
        {
            throw new SyncInterruptedException($"the stream broke after {received} events; run again to resume from leaf {range.Size}", e);
        }
        return (note ?? throw new SyncInterruptedException($"the stream ended without its checkpoint after {received} events; run again to resume from leaf {range.Size}"),
            received);
    }

    private async Task<IReadOnlyList<byte[]>> ProofAsync(long previousSize, byte[] note, string origin, NoteVerifier verifier, CancellationToken cancellationToken)
    {
        var size = Open(note, origin, verifier).Size;
        return previousSize > 0 && previousSize < size
            ? await feed.GetConsistencyProofAsync(previousSize, size, cancellationToken)
            : [];
    }

    private static Checkpoint Verify(byte[] note, string origin, NoteVerifier verifier, CompactRange range, long previousSize, byte[] previousRoot,
        IReadOnlyList<byte[]> proof)
    {
        var checkpoint = Open(note, origin, verifier);
        if (checkpoint.Size < previousSize)
        {
            throw new LedgerVerificationException(
                $"the log's checkpoint has {checkpoint.Size} leaves, fewer than the {previousSize} verified before: history was deleted");
        }
        if (checkpoint.Size != range.Size)
        {
            throw new LedgerVerificationException(
                $"the checkpoint covers {checkpoint.Size} leaves but the stream delivered leaves up to {range.Size}: events are missing");
        }
        if (!ProofVerifier.VerifyConsistency(previousSize, checkpoint.Size, previousRoot, checkpoint.RootHash, proof))
        {
            throw new LedgerVerificationException(
                $"the checkpoint of {checkpoint.Size} leaves is not consistent with the one of {previousSize} leaves verified before: history was rewritten");
        }
        if (!CryptographicOperations.FixedTimeEquals(range.Root(), checkpoint.RootHash))
        {
            throw new LedgerVerificationException(
                $"the events received do not hash to the signed root of the checkpoint of {checkpoint.Size} leaves: an event was altered");
        }
        return checkpoint;
    }

    private static Checkpoint Open(byte[] note, string origin, NoteVerifier verifier)
    {
        try
        {
            return Checkpoint.Open(note, origin, verifier);
        }
        catch (FormatException e)
        {
            throw new LedgerVerificationException($"the stream's checkpoint does not verify under the pinned log key: {e.Message}");
        }
    }

    /// <summary>Leaves arrive in order without gaps; a gap is an event the log no longer has.</summary>
    private static void Expect(CompactRange range, long index)
    {
        if (index != range.Size)
        {
            throw new LedgerVerificationException(index > range.Size
                ? $"leaf {range.Size} is missing from the stream (next came leaf {index}): an event was deleted"
                : $"leaf {index} was sent again after leaf {range.Size - 1}");
        }
    }
}
