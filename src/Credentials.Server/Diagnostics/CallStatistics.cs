using System.Collections.Concurrent;
using System.Globalization;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace Credentials.Server.Diagnostics;

/// <summary>
/// Calls that ended with each status, per method, since the server started: what
/// DiagnosticsService.GetCallStatistics answers, so that a load generator that sees only HTTP
/// statuses (h2load) can check that every call it made succeeded. Counted by
/// <see cref="CallStatisticsMiddleware"/> from the final grpc-status of every call routed to one of
/// the served methods, refusals by authentication and authorization included.
/// </summary>
public sealed class CallStatistics
{
    private const int StatusCount = (int)StatusCode.Unauthenticated + 1;

    private readonly ConcurrentDictionary<string, long[]> _methods = new(StringComparer.Ordinal);

    public void Count(string method, StatusCode status)
    {
        if ((uint)status < StatusCount)
        {
            Interlocked.Increment(ref _methods.GetOrAdd(method, _ => new long[StatusCount])[(int)status]);
        }
    }

    /// <summary>(method, status, count) for every count above zero, by method path.</summary>
    public IEnumerable<(string Method, StatusCode Status, long Count)> Snapshot()
    {
        foreach (var (method, counts) in _methods.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            for (var i = 0; i < counts.Length; i++)
            {
                if (Interlocked.Read(ref counts[i]) is var count and > 0)
                {
                    yield return (method, (StatusCode)i, count);
                }
            }
        }
    }
}

/// <summary>
/// Counts each call to a served method by its final grpc-status: in the trailers, or in the headers
/// of a Trailers-Only response (a refusal before the service). Calls to unknown paths are not
/// counted, so a client cannot grow the table with made-up method names.
/// </summary>
public sealed class CallStatisticsMiddleware(RequestDelegate next, CallStatistics statistics)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var method = http.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName;
        if (method is null)
        {
            await next(http);
            return;
        }
        try
        {
            await next(http);
        }
        finally
        {
            statistics.Count(method, FinalStatus(http));
        }
    }

    private static StatusCode FinalStatus(HttpContext http)
    {
        var value = http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"] is { Count: > 0 } trailer
            ? trailer.ToString()
            : http.Response.Headers["grpc-status"].ToString();
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? (StatusCode)code : StatusCode.Unknown;
    }
}
