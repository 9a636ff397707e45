using Credentials.Core.Principals;
using Credentials.Server.Security;
using Grpc.Core;

namespace Credentials.Server.Verification;

/// <summary>Who asked, as the access log records it.</summary>
public sealed record VerificationCaller(string Principal, string Role, string ClientAddress, string RequestId)
{
    public const string AnonymousRole = "anonymous";

    /// <summary>The caller of a call; <paramref name="correlationId"/> (a stream item's) is appended to the request id.</summary>
    public static VerificationCaller Of(ServerCallContext context, string? correlationId = null)
    {
        var caller = context.Caller();
        var requestId = context.RequestId();
        return new VerificationCaller(
            caller?.Name ?? "",
            caller?.Role.ToName() ?? AnonymousRole,
            context.ClientAddress(),
            correlationId is null ? requestId : $"{requestId}#{correlationId}");
    }
}
