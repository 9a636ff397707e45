using Credentials.Server.Verification;
using Grpc.Core;

namespace Credentials.Server.Tests.Verification;

public sealed class BoundedPumpTests
{
    /// <summary>Counts reads and, at each read, how many items were read but not yet answered.</summary>
    private sealed class CountingReader(int count, Func<int> written) : IAsyncStreamReader<int>
    {
        public int Reads { get; private set; }

        public int MaxPending { get; private set; }

        public int Current { get; private set; }

        public Task<bool> MoveNext(CancellationToken cancellationToken = default)
        {
            if (Reads == count)
            {
                return Task.FromResult(false);
            }
            Current = Reads++;
            MaxPending = Math.Max(MaxPending, Reads - written());
            return Task.FromResult(true);
        }
    }

    /// <summary>Holds every write until released.</summary>
    private sealed class GatedWriter : IServerStreamWriter<int>
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _written;

        public int Written => Volatile.Read(ref _written);

        public List<int> Answers { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public void Open() => _gate.TrySetResult();

        public Task WriteAsync(int message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(int message, CancellationToken cancellationToken)
        {
            await _gate.Task.WaitAsync(cancellationToken);
            Answers.Add(message);
            Interlocked.Increment(ref _written);
        }
    }

    [Fact]
    public async Task RunAsync_SlowReader_NeverHasMoreThanTheBoundInFlight()
    {
        const int Bound = 64;
        var writer = new GatedWriter();
        var reader = new CountingReader(1000, () => writer.Written);
        var handled = 0;
        var allBoundHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var pump = BoundedPump.RunAsync(reader, writer, item =>
        {
            if (Interlocked.Increment(ref handled) == Bound)
            {
                allBoundHandled.TrySetResult();
            }
            return Task.FromResult(item * 10);
        }, Bound, CancellationToken.None);
        await allBoundHandled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var readsWhileBlocked = reader.Reads;
        writer.Open();
        await pump.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Bound, readsWhileBlocked);
        Assert.Equal(Bound, reader.MaxPending);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * 10), writer.Answers.Order());
    }

    [Fact]
    public async Task RunAsync_HandlerFails_FailsTheCallWithItsError()
    {
        var writer = new GatedWriter();
        writer.Open();
        var reader = new CountingReader(10, () => writer.Written);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            BoundedPump.RunAsync<int, int>(reader, writer, item => item == 5 ? throw new InvalidOperationException("boom") : Task.FromResult(item), 4, CancellationToken.None));

        Assert.Equal("boom", error.Message);
    }
}
