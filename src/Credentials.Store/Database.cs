using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store;

/// <summary>
/// The SQLite database file: WAL journal, synchronous=FULL (a commit is on disk when it returns),
/// foreign keys on. Migrations are applied when it opens. Reads use pooled connections; all
/// writes go through the one <see cref="Writing.StoreWriter"/>.
/// </summary>
public sealed class Database
{
    public const string FileName = "credentials.db";

    private readonly string _readConnectionString;

    static Database()
    {
        // Columns are snake_case, C# members PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    private Database(string path)
    {
        Path = path;
        WriteConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    internal string WriteConnectionString { get; }

    /// <summary>Opens (creating if needed) the database in <paramref name="dataDir"/> and brings its schema up to date.</summary>
    public static Database Open(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var database = new Database(System.IO.Path.Combine(dataDir, FileName));
        if (!File.Exists(database.Path) && !OperatingSystem.IsWindows())
        {
            // Personal data: owner-only from the start. SQLite gives its -wal and -shm files the same mode.
            using var _ = new FileStream(database.Path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        using var connection = database.OpenWriteConnection();
        Migrator.Apply(connection);
        return database;
    }

    /// <summary>A new read-only connection from the pool; dispose it to return it.</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>A new read-write connection with the durability settings. Only the writer and admin commands use these.</summary>
    internal SqliteConnection OpenWriteConnection()
    {
        var connection = new SqliteConnection(WriteConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA busy_timeout = 30000;
            """;
        command.ExecuteNonQuery();
        return connection;
    }
}
