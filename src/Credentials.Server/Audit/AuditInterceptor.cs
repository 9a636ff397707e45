using Credentials.Core.Principals;
using Credentials.Server.Security;
using Credentials.Store.Audit;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Credentials.Server.Audit;

/// <summary>
/// Establishes who every write of a call is recorded against: the authenticated caller with the
/// method, the client's address and the request id, taken from the call itself. Services hand it to
/// the writer (<c>writer.ExecuteAsync(context.Audit(), ...)</c>), which stores it with the write in
/// the same transaction. Anonymous calls have none: they write nothing.
/// </summary>
public sealed class AuditInterceptor : Interceptor
{
    private static readonly object Key = new();

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Attach(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Attach(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Attach(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Attach(context);
        return continuation(requestStream, responseStream, context);
    }

    private static void Attach(ServerCallContext context)
    {
        if (context.Caller() is { } caller)
        {
            context.UserState[Key] = new AuditEntry(caller.Name, caller.Role.ToName(), context.Method, context.ClientAddress(), context.RequestId());
        }
    }

    /// <summary>The audit entry of the call's writes; null for an anonymous call.</summary>
    internal static AuditEntry? Of(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var entry) ? (AuditEntry)entry : null;
}

public static class AuditExtensions
{
    /// <summary>Who the writes of this call are recorded against (see <see cref="AuditInterceptor"/>).</summary>
    public static AuditEntry Audit(this ServerCallContext context) =>
        AuditInterceptor.Of(context) ?? throw new InvalidOperationException("A write needs an authenticated caller; this call has none.");
}
