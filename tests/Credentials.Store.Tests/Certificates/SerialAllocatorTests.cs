using Credentials.Store.Certificates;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Tests.Certificates;

public class SerialAllocatorTests
{
    /// <summary>Stores bare certificate rows with these serials (foreign keys off: only the serials matter here).</summary>
    private static void StoreSerials(StoreFixture store, string committee, int year, params int[] serials)
    {
        using var connection = new SqliteConnection($"Data Source={store.Database.Path};Pooling=False;Foreign Keys=False");
        connection.Open();
        foreach (var serial in serials)
        {
            connection.Execute(
                """
                INSERT INTO certificates (number, committee_code, review_year, serial, level, series, holder_digest, event_seq, issued_by)
                VALUES (@number, @committee, @year, @serial, 2, '工程系列', x'00', 0, 'test')
                """,
                new { number = $"{committee}-{year}-{serial:D6}", committee, year, serial });
        }
    }

    [Fact]
    public async Task Reserve_NewLane_StartsAfterTheHighestStoredSerial()
    {
        await using var store = new StoreFixture();
        StoreSerials(store, "DL-S01", 2024, 1, 2, 3);
        var serials = new SerialAllocator(store.Database);

        var first = serials.Reserve("DL-S01", [(2024, 2), (2025, 1)]);
        var second = serials.Reserve("DL-S01", [(2024, 1)]);

        Assert.Equal(4, first.First(2024));
        Assert.Equal(1, first.First(2025));
        Assert.Equal(6, second.First(2024));
        Assert.Equal(1, serials.Reserve("DL-S02", [(2024, 1)]).First(2024));
    }

    [Fact]
    public async Task Settle_NothingStored_GivesTheSerialsBackToLaterPredictions()
    {
        await using var store = new StoreFixture();
        var serials = new SerialAllocator(store.Database);
        var refused = serials.Reserve("DL-S01", [(2024, 2)]);
        var inFlight = serials.Reserve("DL-S01", [(2024, 1)]);

        refused.Settle(null);
        inFlight.Settle(new Dictionary<int, int> { [2024] = 1 });

        // The refused request's serials 1 and 2 went back; the one in flight really got 1.
        Assert.Equal(2, serials.Reserve("DL-S01", [(2024, 1)]).First(2024));
    }

    [Fact]
    public async Task Settle_MoreStoredThanPredicted_PredictsAboveWhatIsStored()
    {
        await using var store = new StoreFixture();
        var serials = new SerialAllocator(store.Database);
        var reservation = serials.Reserve("DL-S01", [(2024, 1)]);

        reservation.Settle(new Dictionary<int, int> { [2024] = 5 });

        Assert.Equal(6, serials.Reserve("DL-S01", [(2024, 1)]).First(2024));
    }

    [Fact]
    public async Task WhenTurnAsync_WaitsUntilTheRequestReservedBeforeIsQueued()
    {
        await using var store = new StoreFixture();
        var serials = new SerialAllocator(store.Database);
        var batch = serials.Reserve("DL-S01", [(2024, 500)]);
        var unary = serials.Reserve("DL-S01", [(2024, 1)]);
        var otherLane = serials.Reserve("DL-S02", [(2024, 1)]);

        var turn = unary.WhenTurnAsync(CancellationToken.None);

        Assert.True(batch.WhenTurnAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(otherLane.WhenTurnAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(turn.IsCompleted);
        batch.Queued();
        await turn.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Queued_ByARequestThatGaveUpEarly_PassesTheTurnOnlyAfterItsOwnPredecessor()
    {
        await using var store = new StoreFixture();
        var serials = new SerialAllocator(store.Database);
        var first = serials.Reserve("DL-S01", [(2024, 10)]);
        var cancelled = serials.Reserve("DL-S01", [(2024, 1)]);
        var third = serials.Reserve("DL-S01", [(2024, 1)]);
        var turn = third.WhenTurnAsync(CancellationToken.None);

        cancelled.Queued();
        cancelled.Queued();
        Assert.False(turn.IsCompleted);
        first.Queued();

        await turn.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WhenTurnAsync_RequestsInTwoLanesInOppositeOrder_DoNotWaitForEachOther()
    {
        await using var store = new StoreFixture();
        var serials = new SerialAllocator(store.Database);
        var x = serials.Reserve("DL-S01", [(2024, 1), (2025, 1)]);
        var y = serials.Reserve("DL-S01", [(2025, 1), (2024, 1)]);

        // Every reservation is behind all earlier ones in each lane it uses, so x never waits for y.
        Assert.True(x.WhenTurnAsync(CancellationToken.None).IsCompletedSuccessfully);
        var yTurn = y.WhenTurnAsync(CancellationToken.None);
        Assert.False(yTurn.IsCompleted);
        x.Queued();
        await yTurn.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task NextFree_InsideTheTransaction_SeesItsOwnRowsAndNotRolledBackOnes()
    {
        await using var store = new StoreFixture();
        StoreSerials(store, "DL-S01", 2024, 1, 2);

        var (before, afterRollback) = await store.Writer.ExecuteAsync(null, tx =>
        {
            var free = SerialAllocator.NextFree(tx.Connection, tx.Transaction, "DL-S01", 2024);
            tx.Transaction.Save("refused");
            tx.Connection.Execute("UPDATE certificates SET serial = 9 WHERE serial = 2", transaction: tx.Transaction);
            tx.Transaction.Rollback("refused");
            tx.Transaction.Release("refused");
            return (free, SerialAllocator.NextFree(tx.Connection, tx.Transaction, "DL-S01", 2024));
        });

        Assert.Equal(3, before);
        Assert.Equal(3, afterRollback);
    }
}
