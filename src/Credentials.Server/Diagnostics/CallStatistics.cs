using System.Collections.Concurrent;
using Grpc.Core;

namespace Credentials.Server.Diagnostics;

/// <summary>
/// Calls that ended with each status, per method, since the server started: what
/// DiagnosticsService.GetCallStatistics answers, so that a load generator that sees only HTTP
/// statuses (h2load) can check that every call it made succeeded. Counted by
/// <see cref="CallMiddleware"/> from the final grpc-status of every call routed to one of
/// the served methods, refusals by authentication and authorization included. The metric
/// credentials.rpc.server.calls reports the same counts.
/// </summary>
public sealed class CallStatistics
{
    private readonly ConcurrentDictionary<string, MethodCalls> _methods = new(StringComparer.Ordinal);

    /// <summary>The counters of a method (full name, "/package.Service/Method"), made once, when its endpoint is built.</summary>
    public MethodCalls For(string fullName) => _methods.GetOrAdd(fullName, name => new MethodCalls(name));

    /// <summary>(method, status, count) for every count above zero, by method path.</summary>
    public IEnumerable<(string Method, StatusCode Status, long Count)> Snapshot()
    {
        foreach (var (method, calls) in _methods.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            for (var status = StatusCode.OK; status <= StatusCode.Unauthenticated; status++)
            {
                if (calls.CountOf(status) is var count and > 0)
                {
                    yield return (method, status, count);
                }
            }
        }
    }
}

/// <summary>
/// One served method's call counts by status, kept in its endpoint's metadata so that counting a
/// call costs no lookup by name.
/// </summary>
public sealed class MethodCalls(string fullName)
{
    private readonly long[] _counts = new long[(int)StatusCode.Unauthenticated + 1];

    /// <summary>"/credentials.v1.DiagnosticsService/Ping".</summary>
    public string FullName { get; } = fullName;

    /// <summary>"credentials.v1.DiagnosticsService/Ping", as OpenTelemetry's rpc.method spells it.</summary>
    public string Name { get; } = fullName.TrimStart('/');

    public void Count(StatusCode status)
    {
        if ((uint)status < (uint)_counts.Length)
        {
            Interlocked.Increment(ref _counts[(int)status]);
        }
    }

    public long CountOf(StatusCode status) => Interlocked.Read(ref _counts[(int)status]);
}
