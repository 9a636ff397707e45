using Credentials.Core.Ledger;
using Credentials.Store.Ledger;
using Credentials.Store.Writing;
using Credentials.V1;
using Dapper;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Store.Tests.Ledger;

public class LedgerWriterTests
{
    [Fact]
    public async Task Append_StoredEvents_HaveHeaderAndExactBytes()
    {
        await using var store = new StoreFixture();

        await store.Writer.ExecuteAsync(null, tx => tx.Ledger.Append(new LedgerEvent { CommitteeCode = "DL-S01", ReviewYear = 2024,
            CommitteeStateChanged = new CommitteeStateChanged { Code = "DL-S01" } }, "authority"));

        using var connection = store.Database.OpenReader();
        var row = connection.QuerySingle<(long Seq, long Type, string Code, long Year, byte[] Body)>(
            "SELECT seq, type, committee_code, review_year, body FROM ledger_events");
        var parsed = LedgerEvent.Parser.ParseFrom(row.Body);
        Assert.Equal((0L, (long)LedgerEventType.CommitteeStateChanged, "DL-S01", 2024L), (row.Seq, row.Type, row.Code, row.Year));
        Assert.Equal("authority", parsed.Actor);
        Assert.Equal(Timestamp.FromDateTimeOffset(store.Time.GetUtcNow()), parsed.Time);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(333)]
    public async Task Append_StoredTree_HasTheRootOfItsEvents(int count)
    {
        await using var store = new StoreFixture();
        for (var i = 0; i < count; i += 50)
        {
            var batch = Math.Min(50, count - i);
            await Task.WhenAll(Enumerable.Range(i, batch).Select(n => store.Writer.ExecuteAsync(null, tx =>
                tx.Ledger.Append(new LedgerEvent { CommitteeStateChanged = new CommitteeStateChanged { Code = $"C-{n}" } }, "test"))));
        }

        using var connection = store.Database.OpenReader();
        var range = new CompactRange();
        foreach (var body in connection.Query<byte[]>("SELECT body FROM ledger_events ORDER BY seq"))
        {
            range.Append(MerkleHash.HashLeaf(body));
        }
        var plan = NodePlan.Root(count);
        var stored = plan.Assemble(MerkleNodeRepository.Fetch(connection, plan.NodeIds));

        Assert.Equal(range.Root(), Assert.Single(stored));
    }

    [Fact]
    public async Task Append_RefusedUnitsAmongAcceptedOnes_TreeHasTheRootOfTheStoredEvents()
    {
        await using var store = new StoreFixture();

        // Units in the same groups: every third appends two events, then refuses; its savepoint and its part of the edge go.
        var results = await Task.WhenAll(Enumerable.Range(0, 90).Select(async n =>
        {
            try
            {
                return await store.Writer.ExecuteAsync(null, tx =>
                {
                    tx.Ledger.Append(new LedgerEvent { CommitteeStateChanged = new CommitteeStateChanged { Code = $"C-{n}" } }, "test");
                    tx.Ledger.Append(new LedgerEvent { CommitteeStateChanged = new CommitteeStateChanged { Code = $"D-{n}" } }, "test");
                    return n % 3 == 0 ? throw new InvalidOperationException("refused") : true;
                });
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }));

        Assert.Equal(60, results.Count(r => r));
        AssertTreeMatchesEvents(store, 120);
    }

    [Fact]
    public async Task Append_AnotherWriterAppendsMeanwhile_TreeHasTheRootOfTheStoredEvents()
    {
        await using var store = new StoreFixture();
        // As an admin command in another process would: its own writer on the same file.
        await using var other = new StoreWriter(store.Database, store.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<StoreWriter>.Instance);

        for (var n = 0; n < 20; n++)
        {
            var writer = n % 4 == 3 ? other : store.Writer;
            await writer.ExecuteAsync(null, tx => tx.Ledger.Append(new LedgerEvent { CommitteeStateChanged = new CommitteeStateChanged { Code = $"C-{n}" } }, "test"));
        }

        AssertTreeMatchesEvents(store, 20);
    }

    private static void AssertTreeMatchesEvents(StoreFixture store, int count)
    {
        using var connection = store.Database.OpenReader();
        var bodies = connection.Query<byte[]>("SELECT body FROM ledger_events ORDER BY seq").ToList();
        var range = new CompactRange();
        foreach (var body in bodies)
        {
            range.Append(MerkleHash.HashLeaf(body));
        }
        Assert.Equal(count, bodies.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (ulong)i), bodies.Select(b => LedgerEvent.Parser.ParseFrom(b).Sequence));
        var plan = NodePlan.Root(count);
        Assert.Equal(range.Root(), Assert.Single(plan.Assemble(MerkleNodeRepository.Fetch(connection, plan.NodeIds))));
        Assert.Equal(2L * count - System.Numerics.BitOperations.PopCount((ulong)count), connection.ExecuteScalar<long>("SELECT COUNT(*) FROM merkle_nodes"));
    }
}
