using Credentials.Store;
using Credentials.Store.Writing;
using Dapper;

namespace Credentials.Server.Operations;

/// <summary>
/// Whether the store is usable: false as soon as a group commit fails (disk full, read-only, I/O
/// error) or a probe finds the store unusable, true again after the next write or probe that
/// succeeds. <see cref="StoreHealthCheck"/> reports it to ASP.NET Core's health checks, which drive
/// grpc.health.v1; <see cref="Changed"/> lets Watch hear of it at once.
/// </summary>
public sealed partial class StoreHealth
{
    private readonly StoreWriter _writer;
    private readonly Database _database;
    private readonly ILogger<StoreHealth> _logger;
    private int _usable = 1;

    public StoreHealth(StoreWriter writer, Database database, ILogger<StoreHealth> logger)
    {
        _writer = writer;
        _database = database;
        _logger = logger;
        writer.GroupCommitted += Report;
    }

    /// <summary>Whether the last write or probe found the store usable.</summary>
    public bool IsUsable => Volatile.Read(ref _usable) == 1;

    /// <summary>Raised when <see cref="IsUsable"/> changes, on the thread that saw the change (the writer's, for a failed commit).</summary>
    public event Action? Changed;

    /// <summary>
    /// Reads the schema version and makes a write that needs fresh pages (rolled back), then
    /// reports the outcome; true when the store is usable.
    /// </summary>
    public async Task<bool> ProbeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using (var connection = _database.OpenReader())
            {
                connection.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_migrations");
            }
            await _writer.ProbeAsync(cancellationToken);
            Report(true);
            return true;
        }
        catch (Exception e) when (e is StoreUnavailableException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogProbeFailed(_logger, e.Message);
            Report(false);
            return false;
        }
    }

    private void Report(bool usable)
    {
        var now = usable ? 1 : 0;
        if (Interlocked.Exchange(ref _usable, now) == now)
        {
            return;
        }
        if (usable)
        {
            LogServing(_logger);
        }
        else
        {
            LogNotServing(_logger);
        }
        Changed?.Invoke();
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "The store probe failed: {Reason}")]
    private static partial void LogProbeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "The store is usable again: SERVING")]
    private static partial void LogServing(ILogger logger);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Error, Message = "The store is unusable: NOT_SERVING until a write or probe succeeds")]
    private static partial void LogNotServing(ILogger logger);
}
