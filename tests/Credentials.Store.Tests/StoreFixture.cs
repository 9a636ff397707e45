using Credentials.Store.Writing;
using Credentials.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Credentials.Store.Tests;

/// <summary>A real SQLite database in a temporary directory, with its writer.</summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    public StoreFixture()
    {
        Database = Database.Open(_directory.Path);
        Writer = new StoreWriter(Database, Time, NullLogger<StoreWriter>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2024, 12, 20, 2, 0, 0, TimeSpan.Zero));

    public Database Database { get; private set; }

    public StoreWriter Writer { get; private set; }

    public string DataDir => _directory.Path;

    /// <summary>Closes everything and opens the same files again, as a restart does.</summary>
    public async Task ReopenAsync()
    {
        await Writer.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Database = Database.Open(_directory.Path);
        Writer = new StoreWriter(Database, Time, NullLogger<StoreWriter>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
