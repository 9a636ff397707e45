using Credentials.Core.Identity;
using Credentials.Core.Validation;
using Credentials.Grpc;
using Credentials.Grpc.Server;

namespace Credentials.Server.Security;

/// <summary>
/// Every call has a request id: the client's <c>x-request-id</c> header (1 to 64 of A-Z a-z 0-9
/// - _ . :; anything else is INVALID_ARGUMENT naming the header), or a new one when it sends none.
/// It is echoed in the response headers and recorded in the audit trail, so a caller and an
/// operator can talk about the same call. A header that could hold an ID number is replaced by its
/// keyed hash before anything sees it (<see cref="CallerIdentifiers"/>): the call is known by that.
/// </summary>
public sealed class RequestIdFilter(CallerIdentifiers identifiers) : IServerCallFilter
{
    public const string Header = "x-request-id";
    private static readonly object Key = new();

    public ValueTask OnCallStartingAsync(ServerCallContext context)
    {
        // The raw header: the gRPC layer drops text metadata it cannot carry, and a bad id must be refused, not replaced.
        var sent = context.GetHttpContext().Request.Headers[Header];
        var id = Guid.NewGuid().ToString("N");
        if (sent.Count > 1)
        {
            throw new InvalidRequestException(Header, "must be sent once");
        }
        if (sent.Count == 1)
        {
            id = sent[0] ?? "";
            if (CallerIdentifiers.CheckRequestId(id) is { } error)
            {
                throw new InvalidRequestException(Header, error);
            }
            id = identifiers.ForStorage(id);
        }
        context.UserState[Key] = id;
        context.ResponseHeaders.Add(Header, id);
        return ValueTask.CompletedTask;
    }

    public static string Of(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var id) && id is string text ? text : "";
}
