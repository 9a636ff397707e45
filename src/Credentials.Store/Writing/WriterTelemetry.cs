using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Credentials.Store.Writing;

/// <summary>
/// What the single writer reports: metrics of its group commits (size, commit time, queue, ledger
/// size) on meter <see cref="MeterName"/>, and spans on <see cref="SourceName"/>: each caller's wait
/// for its write ("credentials.store.write", in the caller's trace) and each group commit
/// ("credentials.store.commit", on the writer thread, linked to the writes it carried). Tags hold
/// counts and outcomes only, never what was written.
/// </summary>
public sealed class WriterTelemetry : IDisposable
{
    public const string MeterName = "Credentials.Store";
    public const string SourceName = "Credentials.Store";

    /// <summary>OpenTelemetry's default limit of links per span; a larger group links its first ones.</summary>
    private const int MaxLinks = 128;

    private static readonly ActivitySource Source = new(SourceName);

    private static readonly double[] CommitBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly int[] GroupBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<int> _groupSize;
    private readonly Histogram<double> _commitDuration;

    /// <param name="meters">The host's meter factory; null: a meter of this writer's own (tools and tests).</param>
    /// <param name="queueLength">Units waiting for the writer now.</param>
    /// <param name="ledgerSize">Ledger events committed so far.</param>
    public WriterTelemetry(IMeterFactory? meters, Func<int> queueLength, Func<long> ledgerSize)
    {
        _ownsMeter = meters is null;
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _groupSize = _meter.CreateHistogram("credentials.store.writer.group.size", "{unit}",
            "Units of work per group commit (one transaction, one fsync).", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = GroupBuckets });
        _commitDuration = _meter.CreateHistogram("credentials.store.writer.commit.duration", "s",
            "Time of a group commit, from its transaction's start to its fsync, by outcome (committed, failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
        _meter.CreateObservableGauge("credentials.store.writer.queue.length", queueLength, "{unit}", "Units of work waiting for the writer.");
        _meter.CreateObservableGauge("credentials.ledger.size", ledgerSize, "{event}", "Events in the ledger (the Merkle tree's size) as committed.");
    }

    /// <summary>Whether anybody records the writer's spans.</summary>
    internal static bool Recording => Source.HasListeners();

    /// <summary>A caller's span for its write, from queueing to durable commit; null when nobody records spans.</summary>
    internal static Activity? StartWrite() => Source.HasListeners() ? Source.StartActivity("credentials.store.write") : null;

    /// <summary>The span of a group commit, linked to the writes in it that were recorded.</summary>
    internal static Activity? StartCommit(IReadOnlyList<ActivityContext> callers, int groupSize)
    {
        var links = new List<ActivityLink>(Math.Min(callers.Count, MaxLinks));
        foreach (var caller in callers)
        {
            if (links.Count == MaxLinks)
            {
                break;
            }
            if (caller != default)
            {
                links.Add(new ActivityLink(caller));
            }
        }
        // A root of its own: a group serves many calls, none of them its parent (and the writer
        // thread may have inherited an activity from whoever started it).
        Activity.Current = null;
        var activity = Source.StartActivity("credentials.store.commit", ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("credentials.store.group.size", groupSize);
        return activity;
    }

    internal void Committed(int groupSize, TimeSpan elapsed)
    {
        _groupSize.Record(groupSize);
        _commitDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("credentials.outcome", "committed"));
    }

    internal void Failed(int groupSize, TimeSpan elapsed)
    {
        _groupSize.Record(groupSize);
        _commitDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("credentials.outcome", "failed"));
    }

    public void Dispose()
    {
        // A factory's meter belongs to the factory, which disposes it with the host.
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
