using Credentials.Server.Errors;
using Credentials.Server.Security;
using Credentials.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Credentials.Server.Diagnostics;

/// <summary>credentials.v1.DiagnosticsService: the constant-reply endpoint and call statistics.</summary>
public sealed class DiagnosticsService(CallStatistics statistics) : V1.DiagnosticsService.DiagnosticsServiceBase
{
    private static readonly Task<PingResponse> Pong = Task.FromResult(new PingResponse { Message = "pong" });

    [AllowAnonymous]
    public override Task<PingResponse> Ping(PingRequest request, ServerCallContext context) => Pong;

    [Authorize(Policy = Policies.Oversight)]
    public override Task<GetCallStatisticsResponse> GetCallStatistics(GetCallStatisticsRequest request, ServerCallContext context)
    {
        var response = new GetCallStatisticsResponse();
        foreach (var (method, status, count) in statistics.Snapshot())
        {
            response.Counts.Add(new CallCount { Method = method, Status = StatusNames.Of(status), Count = count });
        }
        return Task.FromResult(response);
    }
}
