using Credentials.Core.Principals;
using Credentials.Grpc;
using Credentials.Grpc.Server;
using Credentials.Server.Security;
using Credentials.V1;

namespace Credentials.Server.Diagnostics;

/// <summary>credentials.v1.DiagnosticsService: the constant-reply endpoint and call statistics.</summary>
/// <remarks>The server is looked up per call: it builds its services, this one among them.</remarks>
public sealed class DiagnosticsService(IServiceProvider services)
{
    private static readonly Task<PingResponse> Pong = Task.FromResult(new PingResponse { Message = "pong" });

    [AllowAnonymous]
    public Task<PingResponse> Ping(PingRequest request, ServerCallContext context) => Pong;

    [Authorize(Role.Authority, Role.Platform)]
    public Task<GetCallStatisticsResponse> GetCallStatistics(GetCallStatisticsRequest request, ServerCallContext context)
    {
        var response = new GetCallStatisticsResponse();
        foreach (var method in services.GetRequiredService<GrpcServer>().Methods.OrderBy(m => m.Path, StringComparer.Ordinal))
        {
            foreach (var (status, count) in method.GetStatusCounts())
            {
                response.Counts.Add(new CallCount { Method = method.Path, Status = status.ToName(), Count = count });
            }
        }
        return Task.FromResult(response);
    }
}
