namespace Credentials.Grpc.Tests.Support;

/// <summary>One-shot signals between a test and a handler, instead of sleeps.</summary>
public static class Signal
{
    public static TaskCompletionSource Create() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits until <paramref name="token"/> fires, sets <paramref name="cancelled"/>, and rethrows.</summary>
    public static async Task WaitForCancellationAsync(CancellationToken token, TaskCompletionSource cancelled)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
            cancelled.SetResult();
            throw;
        }
    }
}
