using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Credentials.Store.Audit;
using Credentials.Store.Ledger;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Credentials.Store.Writing;

/// <summary>
/// The single writer. SQLite has one writer at a time, so instead of competing for the lock,
/// every write is queued here and a dedicated thread commits them in groups: one transaction
/// and one fsync for up to <see cref="MaxGroupSize"/> units of work. Each unit runs in a
/// savepoint, so a refused unit does not take the others down. A write's task completes only
/// after its group is durably committed: an acknowledged write is never lost.
/// </summary>
public sealed class StoreWriter : IAsyncDisposable
{
    public const int MaxGroupSize = 512;

    private readonly Channel<WorkItem> _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(16 * 1024)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly SqliteConnection _connection;
    private readonly string _databasePath;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LedgerWriter _ledger;
    private readonly SharedReadLock _readLock;
    private readonly WriterTelemetry _telemetry;
    private readonly Thread _thread;
    private long _ledgerSize;

    public StoreWriter(Database database, TimeProvider time, ILogger<StoreWriter> logger, IMeterFactory? meters = null)
    {
        _connection = database.OpenWriteConnection();
        _databasePath = database.Path;
        _time = time;
        _logger = logger;
        _ledger = new LedgerWriter(_connection);
        _readLock = new SharedReadLock(database, logger);
        _ledgerSize = _connection.ExecuteScalar<long>("SELECT COALESCE(MAX(seq) + 1, 0) FROM ledger_events");
        _telemetry = new WriterTelemetry(meters, () => _queue.Reader.Count, () => Interlocked.Read(ref _ledgerSize));
        _thread = new Thread(Run) { Name = "credentials-writer", IsBackground = true };
        _thread.Start();
    }

    private long _groups;
    private long _units;
    private long _commitTicks;

    /// <summary>Groups committed, units of work in them, and the time spent inside transactions (writer thread).</summary>
    public (long Groups, long Units, TimeSpan BusyTime) Statistics =>
        (Interlocked.Read(ref _groups), Interlocked.Read(ref _units), TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks)));

    /// <summary>
    /// Raised on the writer thread after each group, before its callers hear of it: true when it
    /// committed, false when the store refused it.
    /// </summary>
    public event Action<bool>? GroupCommitted;

    /// <summary>
    /// Runs <paramref name="work"/> inside the next group commit and returns its result once the
    /// group is on disk. Exceptions thrown by the work come back as they are (nothing of it is
    /// written); a failure of the store itself comes back as <see cref="StoreUnavailableException"/>.
    /// </summary>
    /// <param name="audit">
    /// Who is writing: the caller of a call, an admin command, start-up. The unit gets an audit
    /// record in its own savepoint, so the record exists exactly when the write does. Null for
    /// the service's own bookkeeping that no caller asked for (the access log, a signed
    /// checkpoint kept for later comparison, the health probe) and for tools that load data.
    /// </param>
    public Task<T> ExecuteAsync<T>(AuditEntry? audit, Func<WriteTransaction, T> work, CancellationToken cancellationToken = default) =>
        EnqueueAsync(new WorkItem<T>(work, audit), cancellationToken);

    /// <summary>The size of the probe's scratch row: enough to need fresh pages (16 of 4 KiB).</summary>
    public const int ProbeBytes = 64 * 1024;

    /// <summary>
    /// Checks that the store takes a write that needs new pages, keeping nothing: the probe row is
    /// written and rolled back inside its own savepoint, so the group commits no change. Throws
    /// <see cref="StoreUnavailableException"/> when the disk is full, the file read-only or failing.
    /// </summary>
    public Task ProbeAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync(null, tx =>
        {
            // The database may not grow past max_page_count, nor its file system past its free space.
            var pageSize = tx.Connection.ExecuteScalar<long>("PRAGMA page_size", transaction: tx.Transaction);
            var pages = tx.Connection.ExecuteScalar<long>("PRAGMA page_count", transaction: tx.Transaction);
            var maxPages = tx.Connection.ExecuteScalar<long>("PRAGMA max_page_count", transaction: tx.Transaction);
            if ((maxPages - pages) * pageSize < ProbeBytes)
            {
                throw new StoreUnavailableException($"The store is full: {pages} of at most {maxPages} pages.");
            }
            if (FreeBytes() is { } free && free < MinFreeBytes)
            {
                throw new StoreUnavailableException($"The disk of the store is full: {free} bytes free.");
            }
            tx.Transaction.Save("probe");
            var written = false;
            try
            {
                tx.Connection.Execute("INSERT INTO store_probe (payload) VALUES (zeroblob(@size))", new { size = ProbeBytes }, tx.Transaction);
                written = true;
            }
            finally
            {
                try
                {
                    tx.Transaction.Rollback("probe");
                    tx.Transaction.Release("probe");
                }
                catch (SqliteException) when (!written)
                {
                    // The failed insert may have taken the savepoint with it; its own error is the one that counts.
                }
            }
            return true;
        }, cancellationToken);

    /// <summary>Below this much free space on the store's file system the probe reports the store unusable.</summary>
    public const long MinFreeBytes = 16 * 1024 * 1024;

    private long? FreeBytes()
    {
        try
        {
            return new DriveInfo(_databasePath).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the writer's own connection between two groups, outside
    /// any transaction: connection settings, and the faults tests inject (a full disk with
    /// PRAGMA max_page_count, a read-only store with PRAGMA query_only).
    /// </summary>
    public Task MaintainAsync(Action<SqliteConnection> action) =>
        EnqueueAsync(new WorkItem<bool>(_ => throw new InvalidOperationException("Maintenance runs outside groups."), null) { Maintenance = action });

    private async Task<T> EnqueueAsync<T>(WorkItem<T> item, CancellationToken cancellationToken = default)
    {
        using var activity = WriterTelemetry.StartWrite();
        item.Caller = activity?.Context ?? default;
        await _queue.Writer.WriteAsync(item, cancellationToken);
        return await item.Task;
    }

    private void Run()
    {
        var reader = _queue.Reader;
        var group = new List<WorkItem>(MaxGroupSize);
        _readLock.Take();
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            group.Clear();
            WorkItem? maintenance = null;
            while (group.Count < MaxGroupSize && reader.TryRead(out var item))
            {
                if (item.Maintenance is not null)
                {
                    maintenance = item;
                    break;
                }
                group.Add(item);
            }
            _readLock.Release();
            if (group.Count > 0)
            {
                Commit(group);
            }
            if (maintenance is not null)
            {
                try
                {
                    maintenance.Maintenance!(_connection);
                    maintenance.Complete();
                }
                catch (Exception e)
                {
                    maintenance.Fail(e);
                }
            }
            _readLock.Take();
        }
    }

    private void Commit(List<WorkItem> group)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = WriterTelemetry.Recording ? WriterTelemetry.StartCommit(group.ConvertAll(item => item.Caller), group.Count) : null;
        SqliteTransaction? transaction = null;
        try
        {
            transaction = _connection.BeginTransaction(deferred: false);
            var now = _time.GetUtcNow();
            _ledger.BeginGroup(transaction, now);
            var context = new WriteTransaction(_connection, transaction, now, _ledger);
            foreach (var item in group)
            {
                transaction.Save("unit");
                _ledger.BeginUnit();
                try
                {
                    var firstEvent = _ledger.Size;
                    item.Run(context);
                    if (item.Audit is { } audit)
                    {
                        var appended = _ledger.Size > firstEvent;
                        AuditRepository.Insert(_connection, transaction, audit, now,
                            appended ? firstEvent : null, appended ? _ledger.Size - 1 : null);
                    }
                    transaction.Release("unit");
                }
                catch (SqliteException e) when (StoreUnavailableException.IsUnavailable(e))
                {
                    // The database may have rolled the whole transaction back: fail the group.
                    throw;
                }
                catch (Exception e)
                {
                    transaction.Rollback("unit");
                    transaction.Release("unit");
                    _ledger.RollbackUnit();
                    item.Fail(e);
                }
            }
            transaction.Commit();
        }
        catch (Exception e)
        {
            StoreWriterLog.GroupFailed(_logger, e, group.Count);
            _telemetry.Failed(group.Count, Stopwatch.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, "The group could not be committed.");
            _ledger.AbortGroup();
            try
            {
                transaction?.Rollback();
            }
            catch (Exception rollback) when (rollback is SqliteException or InvalidOperationException)
            {
                // Already rolled back by SQLite.
            }
            var error = e as StoreUnavailableException ?? new StoreUnavailableException($"The store is unavailable: {e.Message}", e);
            // Health first: a client told UNAVAILABLE then finds the server NOT_SERVING.
            GroupCommitted?.Invoke(false);
            foreach (var item in group)
            {
                item.Fail(error);
            }
            return;
        }
        finally
        {
            transaction?.Dispose();
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        Interlocked.Increment(ref _groups);
        Interlocked.Add(ref _units, group.Count);
        Interlocked.Add(ref _commitTicks, elapsed.Ticks);
        Interlocked.Exchange(ref _ledgerSize, _ledger.Size);
        _telemetry.Committed(group.Count, elapsed);
        GroupCommitted?.Invoke(true);
        foreach (var item in group)
        {
            item.Complete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_thread.Join);
        _readLock.Dispose();
        _connection.Dispose();
        _telemetry.Dispose();
    }

    private abstract class WorkItem(AuditEntry? audit)
    {
        public AuditEntry? Audit { get; } = audit;

        /// <summary>The caller's write span, when spans are recorded: the group commit links to it.</summary>
        public ActivityContext Caller { get; set; }

        /// <summary>Set for work on the bare connection outside a group (<see cref="MaintainAsync"/>).</summary>
        public Action<SqliteConnection>? Maintenance { get; init; }

        public abstract void Run(WriteTransaction context);

        public abstract void Fail(Exception error);

        public abstract void Complete();
    }

    private sealed class WorkItem<T>(Func<WriteTransaction, T> work, AuditEntry? audit) : WorkItem(audit)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private bool _failed;

        public Task<T> Task => _completion.Task;

        public override void Run(WriteTransaction context) => _result = work(context);

        public override void Fail(Exception error)
        {
            _failed = true;
            _completion.TrySetException(error);
        }

        public override void Complete()
        {
            if (!_failed)
            {
                _completion.TrySetResult(_result!);
            }
        }
    }
}

internal static partial class StoreWriterLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Error, Message = "A group of {Count} writes could not be committed")]
    public static partial void GroupFailed(ILogger logger, Exception exception, int count);
}
