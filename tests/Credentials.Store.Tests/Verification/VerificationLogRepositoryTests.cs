using Credentials.Store.Verification;
using Dapper;

namespace Credentials.Store.Tests.Verification;

public class VerificationLogRepositoryTests
{
    private static readonly DateTimeOffset At = new(2024, 12, 20, 2, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public async Task InsertMany_ThenList_ReadsBackEveryFieldNewestFirst()
    {
        await using var store = new StoreFixture();
        VerificationLogEntry[] entries =
        [
            new(At, "", "anonymous", "127.0.0.1", "req-1", 1, "DL-S01-2024-0000001", 1),
            new(At.AddSeconds(1), "hr-dalian", "employer", "10.0.0.7", "req-2", 2, "", 4),
            new(At.AddSeconds(2), "hr-dalian", "employer", "10.0.0.7", "请求-3", 1, "DL-S01-2024-0000002", 3),
        ];

        await store.Writer.ExecuteAsync(null, tx =>
        {
            VerificationLogRepository.InsertMany(tx, entries);
            return true;
        });

        using var connection = store.Database.OpenReader();
        var listed = VerificationLogRepository.List(connection, 0, 10, "", "");
        Assert.Equal(entries.Reverse(), listed.Select(v => v.Entry));
        Assert.True(listed[0].Id > listed[1].Id && listed[1].Id > listed[2].Id);
    }

    [Fact]
    public async Task List_EachFilter_SelectsItsRowsBeforeTheGivenId()
    {
        await using var store = new StoreFixture();
        var entries = Enumerable.Range(0, 30).Select(i => new VerificationLogEntry(At.AddSeconds(i), i % 3 == 0 ? "" : $"employer-{i % 2}",
            i % 3 == 0 ? "anonymous" : "employer", "127.0.0.1", $"req-{i}", 1, $"DL-S01-2024-{i % 4:D7}", 1)).ToArray();
        await store.Writer.ExecuteAsync(null, tx =>
        {
            VerificationLogRepository.InsertMany(tx, entries);
            return true;
        });
        using var connection = store.Database.OpenReader();
        var ids = VerificationLogRepository.List(connection, 0, 100, "", "").Select(v => v.Id).Reverse().ToArray();
        var before = ids[20];

        foreach (var (number, principal) in new[] { ("", ""), ("DL-S01-2024-0000001", ""), ("", "employer-1"), ("DL-S01-2024-0000001", "employer-1"), ("", "nobody") })
        {
            var expected = ids.Zip(entries).Where(p => p.First < before && (number == "" || p.Second.CertificateNumber == number)
                && (principal == "" || p.Second.Principal == principal)).Select(p => p.First).Reverse().Take(5);

            var listed = VerificationLogRepository.List(connection, before, 5, number, principal);

            Assert.Equal(expected, listed.Select(v => v.Id));
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task ListSql_AnyFilters_SearchesAnIndexInsteadOfScanningTheTable(bool byCertificate, bool byPrincipal)
    {
        await using var store = new StoreFixture();
        using var connection = store.Database.OpenReader();

        var plan = connection.Query("EXPLAIN QUERY PLAN " + VerificationLogRepository.ListSql(byCertificate, byPrincipal),
            new { beforeId = long.MaxValue, limit = 10, certificateNumber = "DL-S01-2024-0000001", principal = "employer" })
            .Select(step => (string)((IDictionary<string, object>)step)["detail"]).ToList();

        Assert.DoesNotContain(plan, step => step.Contains("SCAN", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("SEARCH verifications USING", StringComparison.Ordinal));
    }
}
