using Dapper;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Backup;

/// <summary>
/// Backup and restore of the database with SQLite's online backup API. A backup reads one
/// consistent snapshot while the server keeps serving (WAL: readers do not block the writer)
/// and is checked with <c>PRAGMA integrity_check</c> before it is reported done. It holds the
/// database only: keys/ and secrets/ are files of the data directory, to be kept separately.
/// </summary>
public static class StoreBackup
{
    /// <summary>Copies the database of <paramref name="database"/> to <paramref name="file"/> (owner-only), then verifies the copy.</summary>
    public static BackupSummary Backup(Database database, string file, bool overwrite)
    {
        if (File.Exists(file) && !overwrite)
        {
            throw new IOException($"{file} exists already; pass --force to replace it.");
        }
        var partial = file + ".partial";
        File.Delete(partial);
        CreateOwnerOnly(partial);
        using (var source = database.OpenReader())
        using (var target = Open(partial, SqliteOpenMode.ReadWrite))
        {
            source.BackupDatabase(target);
            // One self-contained file: no -wal beside it.
            target.Execute("PRAGMA journal_mode = DELETE");
        }
        var summary = Verify(partial);
        File.Move(partial, file, overwrite);
        return summary;
    }

    /// <summary>
    /// Checks a backup file: a SQLite database that passes <c>PRAGMA integrity_check</c>, made by
    /// Credentials (it has the migrations table) with no migration this build does not know.
    /// Throws <see cref="InvalidDataException"/> saying what is wrong.
    /// </summary>
    public static BackupSummary Verify(string file)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file} does not exist.", file);
        }
        try
        {
            using var connection = Open(file, SqliteOpenMode.ReadOnly);
            var integrity = connection.Query<string>("PRAGMA integrity_check").ToList();
            if (integrity is not ["ok"])
            {
                throw new InvalidDataException($"{file} fails the integrity check: {string.Join("; ", integrity.Take(5))}");
            }
            if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'principals', 'ledger_events')") != 3)
            {
                throw new InvalidDataException($"{file} is not a Credentials store.");
            }
            var applied = connection.Query<int>("SELECT version FROM schema_migrations ORDER BY version").ToList();
            var known = Migrator.All.Select(m => m.Version).ToHashSet();
            if (applied.FirstOrDefault(v => !known.Contains(v)) is var unknown and > 0)
            {
                throw new InvalidDataException($"{file} has migration {unknown}, which this build does not know: restore it with a newer build.");
            }
            return new BackupSummary(new FileInfo(file).Length, applied.Count == 0 ? 0 : applied[^1],
                connection.ExecuteScalar<long>("SELECT COUNT(*) FROM certificates"),
                connection.ExecuteScalar<long>("SELECT COUNT(*) FROM ledger_events"));
        }
        catch (SqliteException e)
        {
            throw new InvalidDataException($"{file} is not a readable SQLite database: {e.Message}", e);
        }
    }

    /// <summary>
    /// Replaces the database of <paramref name="dataDir"/> with the verified backup, then brings
    /// its schema up to date. Refused while a server runs on the directory (its lock), and over a
    /// store that has a database unless <paramref name="force"/>.
    /// </summary>
    public static BackupSummary Restore(string file, string dataDir, bool force)
    {
        var summary = Verify(file);
        using var claim = DataDirectoryLock.Acquire(dataDir, "restore while it is in use: stop the server first");
        var path = Path.Combine(dataDir, Database.FileName);
        if (File.Exists(path) && !force)
        {
            throw new IOException($"{path} exists; restoring replaces it and everything written since the backup: pass --force.");
        }
        foreach (var stale in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(stale);
        }
        CreateOwnerOnly(path);
        using (var source = Open(file, SqliteOpenMode.ReadOnly))
        using (var target = Open(path, SqliteOpenMode.ReadWrite))
        {
            source.BackupDatabase(target);
        }
        // Migrations newer than the backup, and the WAL journal the server runs with.
        Database.Open(dataDir);
        return Verify(path) with { Bytes = summary.Bytes };
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void CreateOwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var _ = new FileStream(path, options);
    }
}
