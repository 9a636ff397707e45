using Credentials.Grpc;
using Credentials.Grpc.Server;

namespace Credentials.Server.Security;

/// <summary>
/// Every call has a request id: the client's <c>x-request-id</c> header when it sends a valid one
/// (1 to 64 of A-Z a-z 0-9 - _ . :), otherwise a new one. It is echoed in the response headers and
/// recorded in the audit trail, so a caller and an operator can talk about the same call.
/// </summary>
public sealed class RequestIdFilter : IServerCallFilter
{
    public const string Header = "x-request-id";
    private static readonly object Key = new();

    public ValueTask OnCallStartingAsync(ServerCallContext context)
    {
        var sent = context.RequestHeaders.GetValue(Header);
        var id = sent is not null && Common.RequestIds.Check(sent) is null ? sent : Guid.NewGuid().ToString("N");
        context.UserState[Key] = id;
        context.ResponseHeaders.Add(Header, id);
        return ValueTask.CompletedTask;
    }

    public static string Of(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var id) && id is string text ? text : "";
}
