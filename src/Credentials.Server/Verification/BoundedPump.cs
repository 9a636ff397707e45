using System.Threading.Channels;
using Grpc.Core;

namespace Credentials.Server.Verification;

/// <summary>
/// Runs the items of a bidirectional stream concurrently, with at most a fixed number in
/// flight: an item counts from the moment it is read until its answer is written, and no
/// further item is read while the bound is reached. So a client that sends fast and reads
/// slowly holds at most that many answers in the server's memory. Answers are written in the
/// order they are ready, by one writer (stream writers are not thread-safe).
/// </summary>
public static class BoundedPump
{
    public static async Task RunAsync<TRequest, TResponse>(IAsyncStreamReader<TRequest> requests, IAsyncStreamWriter<TResponse> responses,
        Func<TRequest, Task<TResponse>> handle, int maxInFlight, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        var ready = Channel.CreateUnbounded<TResponse>(new UnboundedChannelOptions { SingleReader = true });
        var writing = WriteAllAsync(ready.Reader, responses, slots, stop);
        var running = new List<Task>();
        Exception? failure = null;
        try
        {
            while (true)
            {
                await slots.WaitAsync(stop.Token);
                if (!await requests.MoveNext(stop.Token))
                {
                    slots.Release();
                    break;
                }
                var request = requests.Current;
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await ready.Writer.WriteAsync(await handle(request), stop.Token);
                    }
                    catch
                    {
                        // Its slot is never given back: stop reading rather than wait for it.
                        await stop.CancelAsync();
                        throw;
                    }
                }, stop.Token));
                running.RemoveAll(t => t.IsCompletedSuccessfully);
            }
            await Task.WhenAll(running);
        }
        catch (Exception e)
        {
            await stop.CancelAsync();
            // Let the items settle: a failed item is the cause when there is one, not the cancellation it caused.
            await Task.WhenAll(running).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            failure = running.FirstOrDefault(t => t.IsFaulted)?.Exception?.InnerException ?? e;
        }
        finally
        {
            ready.Writer.TryComplete();
        }
        try
        {
            await writing;
        }
        catch (Exception) when (failure is not null && !writing.IsFaulted)
        {
            // Cancelled because reading failed: the reading failure is the one to report.
        }
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Writes answers as they come; a failed write stops the reading too.</summary>
    private static async Task WriteAllAsync<TResponse>(ChannelReader<TResponse> ready, IAsyncStreamWriter<TResponse> responses, SemaphoreSlim slots,
        CancellationTokenSource stop)
    {
        try
        {
            await foreach (var response in ready.ReadAllAsync(stop.Token))
            {
                await responses.WriteAsync(response, stop.Token);
                slots.Release();
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }
}
