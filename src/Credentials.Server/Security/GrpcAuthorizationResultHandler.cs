using Credentials.Core.Principals;
using Credentials.Server.Errors;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Credentials.Server.Security;

/// <summary>
/// Answers a refused gRPC call with a gRPC status instead of the HTTP 401/403 of the default
/// handler (which clients report as "Bad gRPC response"): UNAUTHENTICATED when no token was sent,
/// PERMISSION_DENIED naming the role and the method when its role may not call it (with the method's
/// <see cref="RefusalHintAttribute"/> if it has one), PERMISSION_DENIED
/// for a method without an access rule. Requests other than gRPC calls get the default behaviour.
/// </summary>
public sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    public const string NeedsToken = "This method needs a bearer token (authorization: Bearer crd_...).";
    public const string NoAccessRuleMessage = "This method has no access rule.";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || !TrailersOnly.IsGrpc(context.Request))
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
        if (policy.Requirements.OfType<NoAccessRule>().Any())
        {
            return TrailersOnly.WriteAsync(context, StatusCode.PermissionDenied, NoAccessRuleMessage);
        }
        if (authorizeResult.Challenged || Caller.From(context.User) is not { } caller)
        {
            return TrailersOnly.WriteAsync(context, StatusCode.Unauthenticated, NeedsToken);
        }
        var metadata = context.GetEndpoint()?.Metadata;
        var method = metadata?.GetMetadata<GrpcMethodMetadata>()?.Method.Name ?? context.Request.Path.Value;
        var hint = metadata?.GetMetadata<RefusalHintAttribute>() is { } h ? " " + h.Hint : "";
        return TrailersOnly.WriteAsync(context, StatusCode.PermissionDenied, $"The {caller.Role.ToName()} role may not call {method}.{hint}");
    }
}
