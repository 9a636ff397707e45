using Credentials.Core.Ledger;
using Credentials.Testing;

namespace Credentials.Sync.Tests;

public sealed class LedgerSyncTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeLedgerFeed _feed = new();
    private readonly Mirror _mirror;

    public LedgerSyncTests() => _mirror = new Mirror(Path.Combine(_directory.Path, "mirror.db"));

    public void Dispose()
    {
        _mirror.Dispose();
        _directory.Dispose();
    }

    private Task<SyncResult> SyncAsync(string? logKey = null) => new LedgerSync(_feed, _mirror, TimeProvider.System).RunAsync(logKey);

    private async Task<string> FailsAsync(string? logKey = null) =>
        (await Assert.ThrowsAsync<LedgerVerificationException>(() => SyncAsync(logKey))).Message;

    private List<byte[]> Mirrored() => [.. _mirror.Events(0, long.MaxValue).Select(e => e.Body)];

    [Fact]
    public async Task RunAsync_FromZero_MirrorsEveryEventAndPinsTheKey()
    {
        _feed.Append(11);

        var result = await SyncAsync();

        Assert.Equal((0L, 11L, 11L, true), (result.PreviousSize, result.TreeSize, result.EventsReceived, result.PinnedNow));
        Assert.Equal(_feed.Committed, Mirrored());
        Assert.Equal((FakeLedgerFeed.Origin, _feed.Signer.Verifier.VerifierKey), _mirror.Identity());
        Assert.Equal(11, _mirror.LastVerified().Size);
        Assert.Empty(_feed.ConsistencyRequests);
    }

    [Fact]
    public async Task RunAsync_Incremental_PullsOnlyNewEventsAndChecksConsistency()
    {
        _feed.Append(5);
        await SyncAsync();
        _feed.Append(8);

        var second = await SyncAsync();
        var idle = await SyncAsync();

        Assert.Equal((5L, 13L, 8L, false), (second.PreviousSize, second.TreeSize, second.EventsReceived, second.PinnedNow));
        Assert.Equal([(5L, 13L)], _feed.ConsistencyRequests);
        Assert.Equal((13L, 13L, 0L), (idle.PreviousSize, idle.TreeSize, idle.EventsReceived));
        Assert.Equal(_feed.Committed, Mirrored());
    }

    [Fact]
    public async Task RunAsync_EventAlteredInTheStream_FailsAndKeepsOnlyVerifiedHistory()
    {
        _feed.Append(4);
        await SyncAsync();
        _feed.Append(5);
        _feed.Served[6] = "event 6, rewritten"u8.ToArray();

        var message = await FailsAsync();

        Assert.Contains("an event was altered", message, StringComparison.Ordinal);
        Assert.Equal(4, _mirror.EventCount());
        Assert.Equal(4, _mirror.LastVerified().Size);
    }

    [Fact]
    public async Task RunAsync_EventMissingFromTheStream_Fails()
    {
        _feed.Append(9);
        _feed.Served[3] = null;

        Assert.Contains("leaf 3 is missing", await FailsAsync(), StringComparison.Ordinal);
        Assert.Equal(0, _mirror.EventCount());
    }

    [Fact]
    public async Task RunAsync_LastEventsMissing_Fails()
    {
        _feed.Append(6);
        _feed.Served[5] = null;

        Assert.Contains("events are missing", await FailsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_HistoryRewrittenConsistently_FailsTheConsistencyProof()
    {
        _feed.Append(6);
        await SyncAsync();
        _feed.Fork(keep: 3, count: 7);

        Assert.Contains("history was rewritten", await FailsAsync(), StringComparison.Ordinal);
        Assert.Equal(6, _mirror.EventCount());
    }

    [Fact]
    public async Task RunAsync_CheckpointByAnotherKey_Fails()
    {
        _feed.Append(3);
        await SyncAsync();
        _feed.Append(2);
        _feed.Signer = NoteSigner.Generate(FakeLedgerFeed.Origin);

        Assert.Contains("does not verify under the pinned log key", await FailsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LogKeyGivenAndNotTheServers_FailsBeforeAnything()
    {
        _feed.Append(3);
        var other = NoteSigner.Generate(FakeLedgerFeed.Origin).Verifier.VerifierKey;

        Assert.Contains("does not verify under log key", await FailsAsync(other), StringComparison.Ordinal);
        Assert.Null(_mirror.Identity());
        Assert.Equal(3, (await SyncAsync(_feed.Signer.Verifier.VerifierKey)).TreeSize);
        Assert.Contains("pinned to log key", await FailsAsync(other), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StreamBroken_KeepsWhatArrivedAndTheNextRunResumes()
    {
        _feed.Append(10);
        _feed.BreakAfterMessages = 2;

        await Assert.ThrowsAsync<SyncInterruptedException>(() => SyncAsync());
        Assert.Equal(4, _mirror.EventCount());
        Assert.Equal(0, _mirror.LastVerified().Size);
        _feed.BreakAfterMessages = null;
        var resumed = await SyncAsync();

        Assert.Equal((0L, 10L, 10L), (resumed.PreviousSize, resumed.TreeSize, resumed.EventsReceived));
        Assert.Equal(_feed.Committed, Mirrored());
    }
}
