using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Credentials.Store.Certificates;

/// <summary>
/// Certificate serials per committee and review year. A serial is assigned inside the writer's
/// transaction (<see cref="NextFree"/>: the highest stored one plus one), so the serials of a committee
/// and year are 1, 2, 3, ... with no hole, whatever was refused, rolled back or cut by a crash: a
/// refused unit's savepoint and a failed group take their rows, and so their serials, with them.
/// </summary>
/// <remarks>
/// The serial is part of the certificate number, which is signed, and signing belongs outside the
/// single writer. So the issuer signs with the serials <see cref="Reserve"/> predicts: the next ones
/// after those stored and those reserved by requests in flight. To keep the prediction right, requests
/// reach the writer in the order they reserved (<see cref="Reservation.WhenTurnAsync"/>,
/// <see cref="Reservation.Queued"/>: a unary call does not overtake the batch of 500 reserved before it
/// and still signing), and a request that stores nothing gives its serials back. A prediction is wrong
/// only after such a give-back, for the requests reserved meanwhile; the writer then signs those again
/// with their real serials. Nothing here is the truth: a wrong prediction costs a signature, never a
/// duplicate or a hole. Assumes one server process per database, which the writer needs anyway.
/// </remarks>
public sealed class SerialAllocator(Database database)
{
    // One lock for every lane: a request reserving in several lanes (review years) is in the same
    // order behind the others in each of them, so waiting for turns never goes round in a circle.
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Committee, int Year), Lane> _lanes = [];

    /// <summary>
    /// The serials a request will likely get: <paramref name="years"/> gives how many certificates of
    /// each review year (distinct years) it issues.
    /// </summary>
    public Reservation Reserve(string committeeCode, IReadOnlyCollection<(int ReviewYear, int Count)> years)
    {
        foreach (var (year, _) in years)
        {
            Open(committeeCode, year);
        }
        lock (_lock)
        {
            var parts = new List<Part>(years.Count);
            foreach (var (year, count) in years)
            {
                var lane = _lanes[(committeeCode, year)];
                var part = new Part(lane, year, lane.Next, count, lane.Tail);
                lane.Next += count;
                lane.Tail = part.Queued.Task;
                parts.Add(part);
            }
            return new Reservation(this, parts);
        }
    }

    /// <summary>The serial of the next certificate of a committee and year, inside the writer's transaction.</summary>
    public static int NextFree(SqliteConnection connection, SqliteTransaction transaction, string committeeCode, int reviewYear)
    {
        // Asked by every issuing unit, on the writer's thread: a statement kept prepared on the writer's
        // connection costs a quarter of one parsed afresh each time (1.6 against 6.2 µs, 15,000 stored).
        var command = MaxSerialCommands.GetValue(connection, static c =>
        {
            var command = c.CreateCommand();
            command.CommandText = "SELECT COALESCE(MAX(serial), 0) FROM certificates WHERE committee_code = $committee AND review_year = $year";
            command.Parameters.Add("$committee", SqliteType.Text);
            command.Parameters.Add("$year", SqliteType.Integer);
            return command;
        });
        command.Transaction = transaction;
        command.Parameters[0].Value = committeeCode;
        command.Parameters[1].Value = reviewYear;
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture) + 1;
    }

    private static readonly ConditionalWeakTable<SqliteConnection, SqliteCommand> MaxSerialCommands = new();

    /// <summary>A lane starts after the highest stored serial (read once; no request of this process can be in flight for it yet).</summary>
    private void Open(string committeeCode, int reviewYear)
    {
        lock (_lock)
        {
            if (_lanes.ContainsKey((committeeCode, reviewYear)))
            {
                return;
            }
        }
        int stored;
        using (var connection = database.OpenReader())
        {
            stored = CertificateRepository.MaxSerial(connection, committeeCode, reviewYear);
        }
        lock (_lock)
        {
            _lanes.TryAdd((committeeCode, reviewYear), new Lane(stored + 1));
        }
    }

    /// <summary>The prediction of one committee and year: the next reservation's first serial, and when the last reservation reached the writer.</summary>
    internal sealed class Lane(int next)
    {
        public int Next { get; set; } = next;

        public Task Tail { get; set; } = Task.CompletedTask;
    }

    internal sealed record Part(Lane Lane, int ReviewYear, int First, int Count, Task Previous)
    {
        public TaskCompletionSource Queued { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The serials one request was predicted, per review year, and its place in the queue to the writer.</summary>
    public sealed class Reservation
    {
        private readonly SerialAllocator _owner;
        private readonly List<Part> _parts;
        private int _queued;

        internal Reservation(SerialAllocator owner, List<Part> parts)
        {
            _owner = owner;
            _parts = parts;
        }

        /// <summary>The predicted serial of the first certificate of <paramref name="reviewYear"/>; the others follow it.</summary>
        public int First(int reviewYear) => _parts.Single(p => p.ReviewYear == reviewYear).First;

        /// <summary>Completes when every request that reserved before this one in its lanes has reached the writer (or given up).</summary>
        public Task WhenTurnAsync(CancellationToken cancellationToken) =>
            Task.WhenAll(_parts.Select(p => p.Previous)).WaitAsync(cancellationToken);

        /// <summary>
        /// This request has reached the writer (or given up): the next may go, once the ones before this
        /// have. Call it once the write is queued, and again, harmlessly, whatever happens.
        /// </summary>
        public void Queued()
        {
            if (Interlocked.Exchange(ref _queued, 1) == 0)
            {
                foreach (var part in _parts)
                {
                    part.Previous.ContinueWith(_ => part.Queued.TrySetResult(), CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }

        /// <summary>
        /// After the write: when it stored nothing, the serials go back and the requests reserved after
        /// this one are predicted lower; when it stored serials up to <paramref name="lastStored"/> (per
        /// review year), predictions stay above them, should anything else have stored some meanwhile.
        /// </summary>
        public void Settle(IReadOnlyDictionary<int, int>? lastStored)
        {
            lock (_owner._lock)
            {
                foreach (var part in _parts)
                {
                    part.Lane.Next = lastStored is null
                        ? part.Lane.Next - part.Count
                        : Math.Max(part.Lane.Next, lastStored[part.ReviewYear] + 1);
                }
            }
        }
    }
}
