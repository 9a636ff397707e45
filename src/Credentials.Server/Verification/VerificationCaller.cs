using Credentials.Core.Principals;
using Credentials.Grpc.Server;
using Credentials.Server.Security;

namespace Credentials.Server.Verification;

/// <summary>Who asked, as the access log records it.</summary>
public sealed record VerificationCaller(string Principal, string Role, string ClientAddress, string RequestId)
{
    public const string AnonymousRole = "anonymous";

    /// <summary>The caller of a call; <paramref name="correlationId"/> (a stream item's) is appended to the request id.</summary>
    public static VerificationCaller Of(ServerCallContext context, string? correlationId = null)
    {
        var caller = context.Caller();
        var requestId = RequestIdFilter.Of(context);
        return new VerificationCaller(
            caller?.Name ?? "",
            caller?.Role.ToName() ?? AnonymousRole,
            context.RemoteAddress?.ToString() ?? "unknown",
            correlationId is null ? requestId : $"{requestId}#{correlationId}");
    }
}
