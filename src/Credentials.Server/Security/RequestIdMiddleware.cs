using Credentials.Core.Identity;
using Credentials.Core.Validation;
using Credentials.Server.Errors;
using Grpc.Core;

namespace Credentials.Server.Security;

/// <summary>
/// Every call has a request id: the client's <c>x-request-id</c> header (1 to 64 of A-Z a-z 0-9
/// - _ . :; anything else is INVALID_ARGUMENT naming the header), or a new one when it sends none.
/// It is echoed in the response headers (refusals included: this runs before authentication) and
/// recorded in the audit trail and the access log, so a caller and an operator can talk about the
/// same call. A header that could hold an ID number is replaced by its keyed hash before anything
/// sees it (<see cref="CallerIdentifiers"/>): the call is known by that.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "x-request-id";

    public Task InvokeAsync(HttpContext http, CallerIdentifiers identifiers)
    {
        var sent = http.Request.Headers[Header];
        var id = Guid.NewGuid().ToString("N");
        string? problem = null;
        if (sent.Count > 1)
        {
            problem = "must be sent once";
        }
        else if (sent.Count == 1)
        {
            id = sent[0] ?? "";
            problem = CallerIdentifiers.CheckRequestId(id);
        }
        if (problem is not null)
        {
            if (!TrailersOnly.IsGrpc(http.Request))
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                return Task.CompletedTask;
            }
            return TrailersOnly.WriteAsync(http, DomainErrors.Map(new InvalidRequestException(Header, problem))!);
        }
        if (sent.Count == 1)
        {
            id = identifiers.ForStorage(id);
        }
        http.Features.Set(new RequestIdFeature(id));
        http.Response.Headers[Header] = id;
        return next(http);
    }
}

/// <summary>The request id of the current HTTP request (see <see cref="RequestIdMiddleware"/>).</summary>
public sealed record RequestIdFeature(string Id);

public static class RequestIdExtensions
{
    /// <summary>The call's request id ("" outside the pipeline, as in a test that calls a service directly).</summary>
    public static string RequestId(this ServerCallContext context) =>
        context.GetHttpContext().Features.Get<RequestIdFeature>()?.Id ?? "";
}
