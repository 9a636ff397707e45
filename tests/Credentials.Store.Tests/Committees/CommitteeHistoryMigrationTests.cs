using Credentials.Core.Committees;
using Credentials.Store.Committees;
using Credentials.Testing;
using Credentials.V1;
using Dapper;
using Microsoft.Data.Sqlite;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Store.Tests.Committees;

public class CommitteeHistoryMigrationTests
{
    [Fact]
    public void Migration0009_CommitteesAccreditedBefore_GetTheirWindowAndScopeAsFirstEntries()
    {
        using var directory = new TempDirectory();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory.Path, "old.db")};Pooling=False");
        connection.Open();
        foreach (var (_, _, sql) in Migrator.All.Where(m => m.Version < 9))
        {
            connection.Execute(sql);
        }
        connection.Execute("""
            INSERT INTO committees (code, name, organizer, region, series, accredited_from, accredited_until, state, meeting_schedule, created_at, updated_at)
            VALUES ('DL-S02', '大连市工程系列质量技术监督行业高级专业技术资格评审委员会', '大连市市场监管局', '大连市', '工程系列', '2024-01-01', '2028-12-31', 1, '10月下旬', 1700000000000, 1700000000000);
            INSERT INTO committee_specialties (committee_code, specialty, position) VALUES ('DL-S02', '计量', 0), ('DL-S02', '质量', 1), ('DL-S02', '标准化', 2);
            INSERT INTO committee_levels (committee_code, level) VALUES ('DL-S02', 2), ('DL-S02', 3);
            """);

        connection.Execute(Migrator.All.Single(m => m.Version == 9).Sql);
        var committee = CommitteeRepository.Get(connection, "DL-S02")!;

        var window = Assert.Single(committee.Accreditations);
        var scope = Assert.Single(committee.Scopes);
        Assert.Equal((new DateOnly(2024, 1, 1), new DateOnly(2028, 12, 31), "", DateTimeOffset.FromUnixTimeMilliseconds(1700000000000)),
            (window.ValidFrom, window.ValidUntil, window.DecisionDocument, window.RecordedAt));
        Assert.Equal(("工程系列", new DateOnly(2024, 1, 1), "计量,质量,标准化"), (scope.Series, scope.EffectiveDate, string.Join(',', scope.Specialties)));
        Assert.Equal(committee.Levels, scope.Levels);
        Assert.Equal(AccreditationStatus.Valid, committee.AccreditationOn(new DateOnly(2027, 6, 1)));
    }

    [Fact]
    public async Task AppendScopeAndWindow_KeepTheEarlierOnesAndUpdateTheCurrent()
    {
        await using var store = new StoreFixture();
        var created = new DateTimeOffset(2024, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var committee = new Committee("DL-S05", "大连市工程系列物流专业高级专业技术资格评审委员会", "大连市交通运输局", "大连市", "工程系列",
            ["物流"], [TitleLevel.DeputySenior], new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31), CommitteeState.Active, "", [], created, created);
        var later = new DateTimeOffset(2024, 12, 20, 2, 0, 0, TimeSpan.Zero);

        await store.Writer.ExecuteAsync(null, tx =>
        {
            CommitteeRepository.Insert(tx.Connection, tx.Transaction, committee);
            CommitteeRepository.AppendScope(tx.Connection, tx.Transaction, "DL-S05",
                new AccreditedScope("工程系列", ["物流", "交通运输"], [TitleLevel.DeputySenior, TitleLevel.Intermediate], "大人社函〔2024〕11号", new DateOnly(2024, 12, 1), later, "authority"));
            CommitteeRepository.AppendAccreditation(tx.Connection, tx.Transaction, "DL-S05",
                new AccreditationWindow(new DateOnly(2027, 1, 1), new DateOnly(2029, 12, 31), "大人社函〔2024〕50号", later, "authority"));
            return true;
        });
        using var connection = store.Database.OpenReader();
        var stored = CommitteeRepository.Get(connection, "DL-S05")!;

        Assert.Equal(("物流,交通运输", "DeputySenior,Intermediate"), (string.Join(',', stored.Specialties), string.Join(',', stored.Levels)));
        Assert.Equal((new DateOnly(2027, 1, 1), new DateOnly(2029, 12, 31), later), (stored.AccreditedFrom, stored.AccreditedUntil, stored.UpdatedAt));
        Assert.Equal(["", "大人社函〔2024〕11号"], stored.Scopes.Select(s => s.DecisionDocument));
        Assert.Equal("物流", string.Join(',', stored.Scopes[0].Specialties));
        Assert.Equal([new DateOnly(2026, 12, 31), new DateOnly(2029, 12, 31)], stored.Accreditations.Select(a => a.ValidUntil));
    }
}
