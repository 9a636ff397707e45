using Credentials.Core.Ledger;
using Credentials.Store.Ledger;
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

        await store.Writer.ExecuteAsync(tx => tx.Ledger.Append(new LedgerEvent { CommitteeCode = "DL-S01", ReviewYear = 2024,
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
            await Task.WhenAll(Enumerable.Range(i, batch).Select(n => store.Writer.ExecuteAsync(tx =>
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
}
