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
public sealed class VerificationLog : IHostedService, IAsyncDisposable
{
    public const int Capacity = 16 * 1024;

    /// <summary>The most entries written in one unit of work.</summary>
    public const int MaxBatch = 2048;

    private readonly Channel<Item> _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly StoreWriter _writer;
    private readonly ILogger<VerificationLog> _logger;
    private Task? _loop;

    public VerificationLog(StoreWriter writer, ILogger<VerificationLog> logger)
    {
        _writer = writer;
        _logger = logger;
    }

    /// <summary>Queues an entry; completes at once unless the queue is full.</summary>
    public ValueTask RecordAsync(VerificationLogEntry entry, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(new Item(entry, null), cancellationToken);

    /// <summary>Completes when every entry queued before the call is written (tests, shutdown).</summary>
    public async Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Item(null, done)))
        {
            await _queue.Writer.WriteAsync(new Item(null, done));
        }
        await done.Task;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Not on any call's flow: the writer's audit source must see no caller for these units.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync, CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
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
                    await _writer.ExecuteAsync(tx =>
                    {
                        VerificationLogRepository.InsertMany(tx.Connection, tx.Transaction, entries);
                        return entries.Length;
                    });
                }
                catch (Exception e)
                {
                    // The answers are given; losing their log rows must not stop the next ones.
                    _logger.LogError(e, "{Count} access-log entries could not be written", batch.Count);
                }
            }
            foreach (var flushed in flushes)
            {
                flushed.TrySetResult();
            }
        }
    }

    private sealed record Item(VerificationLogEntry? Entry, TaskCompletionSource? Flushed);
}
