using Credentials.V1;
using Dapper;

namespace Credentials.Store.Tests.Writing;

public class StoreWriterTests
{
    private static LedgerEvent Event(string code) => new() { CommitteeCode = code, CommitteeStateChanged = new CommitteeStateChanged { Code = code } };

    [Fact]
    public async Task ExecuteAsync_ConcurrentWriters_AllCommitInOneSequence()
    {
        await using var store = new StoreFixture();

        var sequences = await Task.WhenAll(Enumerable.Range(0, 500).Select(i =>
            Task.Run(() => store.Writer.ExecuteAsync(null, tx => tx.Ledger.Append(Event($"C-{i}"), "test")))));

        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), sequences.Order());
        using var connection = store.Database.OpenReader();
        Assert.Equal(500, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM ledger_events"));
    }

    [Fact]
    public async Task ExecuteAsync_FailingUnit_LeavesNoTraceAndOthersCommit()
    {
        await using var store = new StoreFixture();
        var gate = new TaskCompletionSource();

        // Queue three units behind a blocker so that they share one group commit.
        var blocker = store.Writer.ExecuteAsync(null, _ => gate.Task.Wait(TimeSpan.FromSeconds(10)));
        var first = store.Writer.ExecuteAsync(null, tx => tx.Ledger.Append(Event("A"), "test"));
        var failing = store.Writer.ExecuteAsync<long>(null, tx =>
        {
            tx.Ledger.Append(Event("B"), "test");
            throw new InvalidOperationException("refused half-way");
        });
        var third = store.Writer.ExecuteAsync(null, tx => tx.Ledger.Append(Event("C"), "test"));
        gate.SetResult();
        await blocker;

        Assert.Equal(0, await first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(1, await third);
        using var connection = store.Database.OpenReader();
        Assert.Equal(["A", "C"], connection.Query<string>("SELECT committee_code FROM ledger_events ORDER BY seq"));
        Assert.Equal(3, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM merkle_nodes"));
    }

    [Fact]
    public async Task ExecuteAsync_WithAuditEntry_RecordsExactlyTheCommittedUnitsItWasGiven()
    {
        await using var store = new StoreFixture();
        var caller = new Store.Audit.AuditEntry("dl-s01", "committee", "/m", "127.0.0.1", "req-1");

        await store.Writer.ExecuteAsync(caller, tx => tx.Ledger.Append(Event("A"), "dl-s01"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.Writer.ExecuteAsync<long>(caller with { RequestId = "req-2" }, tx =>
        {
            tx.Ledger.Append(Event("B"), "dl-s01");
            throw new InvalidOperationException("refused");
        }));
        await store.Writer.ExecuteAsync(caller with { RequestId = "req-3" }, _ => 0);
        await store.Writer.ExecuteAsync(null, tx => tx.Ledger.Append(Event("C"), "internal"));

        using var connection = store.Database.OpenReader();
        var rows = connection.Query<(string RequestId, long? FirstEvent, long? LastEvent)>(
            "SELECT request_id, first_event, last_event FROM audit_log ORDER BY id").ToList();
        Assert.Equal([("req-1", 0L, 0L), ("req-3", null, null)], rows);
    }

    [Fact]
    public async Task ExecuteAsync_AfterRestart_EverythingAcknowledgedIsThere()
    {
        await using var store = new StoreFixture();
        for (var i = 0; i < 20; i++)
        {
            await store.Writer.ExecuteAsync(null, tx => tx.Ledger.Append(Event($"C-{i}"), "test"));
        }

        await store.ReopenAsync();
        var next = await store.Writer.ExecuteAsync(null, tx => tx.Ledger.Append(Event("after"), "test"));

        Assert.Equal(20, next);
        using var connection = store.Database.OpenReader();
        Assert.Equal(21, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM ledger_events"));
    }

    [Fact]
    public async Task ExecuteAsync_AnotherWriterAppendedMeanwhile_ContinuesTheSequence()
    {
        await using var store = new StoreFixture();
        await store.Writer.ExecuteAsync(null, tx => tx.Ledger.Append(Event("A"), "test"));

        // A second writer on the same file, as an admin command in another process would be.
        await using (var other = new Store.Writing.StoreWriter(store.Database, store.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Store.Writing.StoreWriter>.Instance))
        {
            await other.ExecuteAsync(null, tx => tx.Ledger.Append(Event("B"), "admin"));
        }
        var next = await store.Writer.ExecuteAsync(null, tx => tx.Ledger.Append(Event("C"), "test"));

        Assert.Equal(2, next);
    }

    [Fact]
    public async Task ExecuteAsync_ReaderBetweenGroups_SeesEveryCommittedGroup()
    {
        await using var store = new StoreFixture();

        for (var i = 0; i < 5; i++)
        {
            await store.Writer.ExecuteAsync(null, tx => tx.Ledger.Append(Event($"C-{i}"), "test"));

            // The writer holds its shared read lock now; a reader's own transaction is still on the newest commit.
            using var connection = store.Database.OpenReader();
            Assert.Equal(i + 1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM ledger_events"));
        }
    }

    [Fact]
    public async Task ExecuteAsync_ManyGroups_WalIsCheckpointedAndRestarted()
    {
        await using var store = new StoreFixture();
        var entries = Enumerable.Range(0, 2000).Select(i => new Store.Verification.VerificationLogEntry(
            store.Time.GetUtcNow(), "", "anonymous", "127.0.0.1", Guid.NewGuid().ToString("N"), 1, $"DL-S01-2024-{i:D7}", 1)).ToArray();

        // Some 40 MB of rows in 100 groups (with the shared read lock held across commits the WAL grew to 370 MB).
        for (var group = 0; group < 100; group++)
        {
            await store.Writer.ExecuteAsync(null, tx =>
            {
                Store.Verification.VerificationLogRepository.InsertMany(tx, entries);
                return true;
            });
        }

        var wal = new FileInfo(store.Database.Path + "-wal");
        Assert.InRange(wal.Length, 0, 32 * 1024 * 1024);
    }
}
