using Dapper;

namespace Credentials.Store.Tests;

public class DatabaseTests
{
    [Fact]
    public async Task Open_EmptyDirectory_AppliesEveryMigration()
    {
        await using var store = new StoreFixture();
        using var connection = store.Database.OpenReader();

        var versions = connection.Query<int>("SELECT version FROM schema_migrations ORDER BY version").ToList();
        var tables = connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table'").ToHashSet();

        Assert.Equal(Migrator.All.Select(m => m.Version), versions);
        Assert.Subset(tables, new HashSet<string> { "principals", "committees", "certificates", "revocations", "ledger_events", "merkle_nodes", "signing_keys" });
    }

    [Fact]
    public async Task Open_Twice_AppliesNothingTheSecondTime()
    {
        await using var store = new StoreFixture();
        await store.ReopenAsync();
        using var connection = store.Database.OpenReader();

        Assert.Equal(Migrator.All.Count, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Open_Settings_AreWalFullSyncAndForeignKeys()
    {
        await using var store = new StoreFixture();
        using var connection = store.Database.OpenWriteConnection();

        Assert.Equal("wal", connection.ExecuteScalar<string>("PRAGMA journal_mode"));
        Assert.Equal(2, connection.ExecuteScalar<long>("PRAGMA synchronous"));
        Assert.Equal(1, connection.ExecuteScalar<long>("PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task Open_NewDatabase_IsReadableByTheOwnerOnly()
    {
        await using var store = new StoreFixture();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Database.Path));
    }
}
