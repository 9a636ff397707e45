using Microsoft.Data.Sqlite;

namespace Credentials.Store;

/// <summary>
/// The store cannot take writes now (disk full, read-only file, I/O error, locked too long).
/// Nothing of the refused request was written; the host answers UNAVAILABLE.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT,
    // SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB.
    private static readonly HashSet<int> Codes = [5, 6, 7, 8, 10, 11, 13, 14, 26];

    /// <summary>Whether a SQLite error means the store as a whole is unusable, rather than this request being wrong.</summary>
    public static bool IsUnavailable(SqliteException e) => Codes.Contains(e.SqliteErrorCode);

    public static Exception Wrap(Exception e) =>
        e is SqliteException sqlite && IsUnavailable(sqlite)
            ? new StoreUnavailableException($"The store is unavailable: {sqlite.Message}", sqlite)
            : e;
}
