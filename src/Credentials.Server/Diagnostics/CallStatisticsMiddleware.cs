using System.Diagnostics;
using System.Globalization;
using Credentials.Server.Errors;
using Credentials.Server.Security;
using Credentials.Server.Telemetry;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace Credentials.Server.Diagnostics;

/// <summary>
/// Sees every call to a served method end, with its final grpc-status: in the trailers, or in the
/// headers of a Trailers-Only response (a refusal before the service). It counts the call
/// (<see cref="CallStatistics"/>), records it in credentials.rpc.server.call.duration, gives the
/// call's span the gRPC tags when a refusal before the service left them out, and logs the call at
/// Debug. Calls to unknown paths are not counted, so a client cannot grow the table with made-up
/// method names.
/// </summary>
public sealed partial class CallStatisticsMiddleware(RequestDelegate next, ServerMetrics metrics, ILogger<CallStatisticsMiddleware> logger)
{
    // The tags Grpc.AspNetCore puts on the request's activity, which OpenTelemetry's ASP.NET Core instrumentation maps to rpc.*.
    private const string MethodTag = "grpc.method";
    private const string StatusTag = "grpc.status_code";

    public Task InvokeAsync(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<MethodCalls>() is { } calls ? InvokeAsync(http, calls) : next(http);

    private async Task InvokeAsync(HttpContext http, MethodCalls calls)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            var status = FinalStatus(http);
            calls.Count(status);
            metrics.CallEnded(calls.Name, status, started);
            if (Activity.Current is { IsAllDataRequested: true } activity && activity.GetTagItem(StatusTag) is null)
            {
                activity.SetTag(MethodTag, calls.FullName);
                activity.SetTag(StatusTag, ((int)status).ToString(CultureInfo.InvariantCulture));
            }
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogCallEnded(logger, calls.Name, StatusNames.Of(status), Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    RequestIdLogScope.Loggable(http.Features.Get<RequestIdFeature>()?.Id ?? ""));
            }
        }
    }

    private static StatusCode FinalStatus(HttpContext http)
    {
        var value = http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"] is { Count: > 0 } trailer
            ? trailer.ToString()
            : http.Response.Headers["grpc-status"].ToString();
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? (StatusCode)code : StatusCode.Unknown;
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "{RpcMethod} ended {RpcStatus} in {ElapsedMs:0.000} ms (request id {RequestId})")]
    private static partial void LogCallEnded(ILogger logger, string rpcMethod, string rpcStatus, double elapsedMs, string requestId);
}
