using System.Threading.Channels;
using Credentials.Store.Verification;
using Credentials.Store.Writing;

namespace Credentials.Server.Verification;

/// <summary>
/// The access log's writer. A verification is answered without waiting for a disk: its entry
/// goes into a bounded queue, and one background loop writes whatever has queued up as one
/// unit of work of the single <see cref="StoreWriter"/> (so one fsync covers hundreds of
/// entries, and there is still one writer). The queue holds at most <see cref="Capacity"/>
/// entries; when it is full, verifications wait for room rather than go unrecorded.
/// On shutdown the queue is drained before the store closes. A crash (kill -9, power loss)
/// can lose the entries still queued (at most a fraction of a second's worth); it never loses
/// or tears a certificate write, which goes through the writer on its own and is acknowledged
/// only once on disk.
/// </summary>
public sealed partial class VerificationLog : IHostedService, IAsyncDisposable
{
    public const int Capacity = 16 * 1024;

    /// <summary>The most entries written in one unit of work.</summary>
    public const int MaxBatch = 2048;

    /// <summary>
    /// How long entries gather between two writes, unless a batch fills up or a flush is asked for.
    /// Each commit to the store makes every pooled reader drop its page cache (SQLite's WAL change
    /// check), which cost the verification read path a third of its throughput when the log
    /// committed after every handful of entries. Wall-clock pacing, not a rule: no TimeProvider.
    /// </summary>
    public static readonly TimeSpan GatherInterval = TimeSpan.FromMilliseconds(250);

    private readonly Channel<Item> _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly StoreWriter _writer;
    private readonly ILogger<VerificationLog> _logger;
    private Task? _loop;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public VerificationLog(StoreWriter writer, ILogger<VerificationLog> logger)
    {
        _writer = writer;
        _logger = logger;
    }

    /// <summary>Queues an entry; completes at once unless the queue is full.</summary>
    public ValueTask RecordAsync(VerificationLogEntry entry, CancellationToken cancellationToken)
    {
        var queued = _queue.Writer.WriteAsync(new Item(entry, null), cancellationToken);
        if (_queue.Reader.Count >= MaxBatch)
        {
            Wake();
        }
        return queued;
    }

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    /// <summary>Completes when every entry queued before the call is written (tests, shutdown).</summary>
    public async Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Item(null, done)))
        {
            await _queue.Writer.WriteAsync(new Item(null, done));
        }
        Wake();
        await done.Task;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        Wake();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Wake();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<VerificationLogEntry>(MaxBatch);
        var flushes = new List<TaskCompletionSource>();
        while (await reader.WaitToReadAsync())
        {
            // A wake-up from now on (a full batch, a flush, shutdown) cuts the next gathering short.
            Volatile.Write(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            batch.Clear();
            flushes.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                if (item.Entry is { } entry)
                {
                    batch.Add(entry);
                }
                else
                {
                    flushes.Add(item.Flushed!);
                }
            }
            if (batch.Count > 0)
            {
                try
                {
                    var entries = batch.ToArray();
                    // The log itself, not a caller's write: no audit record.
                    await _writer.ExecuteAsync(null, tx =>
                    {
                        VerificationLogRepository.InsertMany(tx, entries);
                        return entries.Length;
                    });
                }
                catch (Exception e)
                {
                    // The answers are given; losing their log rows must not stop the next ones.
                    LogEntriesLost(_logger, e, batch.Count);
                }
            }
            foreach (var flushed in flushes)
            {
                flushed.TrySetResult();
            }
            await Task.WhenAny(Task.Delay(GatherInterval), Volatile.Read(ref _wake).Task);
        }
    }

    private sealed record Item(VerificationLogEntry? Entry, TaskCompletionSource? Flushed);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "{Count} access-log entries could not be written")]
    private static partial void LogEntriesLost(ILogger logger, Exception exception, int count);
}
