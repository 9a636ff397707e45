using Credentials.Server.Errors;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;

namespace Credentials.Server.Security;

/// <summary>
/// A token, when sent, must be valid: a gRPC call with a malformed, unknown or revoked token (or
/// a bound token without its certificate, or a holder JWT that does not validate) is
/// UNAUTHENTICATED with the handler's reason, whatever the method, instead of going on as an
/// anonymous call. Runs after authentication, whose result
/// for the request is cached, so this costs no second lookup.
/// </summary>
public sealed class AuthenticationFailureMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (TrailersOnly.IsGrpc(http.Request))
        {
            var result = await http.AuthenticateAsync(BearerSchemes.Name);
            if (result.Failure is { } failure)
            {
                await TrailersOnly.WriteAsync(http, StatusCode.Unauthenticated, failure.Message);
                return;
            }
        }
        await next(http);
    }
}
