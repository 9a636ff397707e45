using Credentials.Core.Principals;
using Credentials.Grpc.Server;
using Credentials.Store.Audit;

namespace Credentials.Server.Security;

/// <summary>
/// Who every write is recorded against (see StoreWriter.AuditSource): the authenticated caller
/// of the current gRPC call with its method, client address and request id; or, outside a call,
/// the administrator or start-up task that opened a scope with <see cref="Begin"/>.
/// </summary>
public static class AuditTrail
{
    private static readonly AsyncLocal<AuditEntry?> Ambient = new();

    /// <summary>The writer of the current flow, or null (an anonymous or internal write, not audited).</summary>
    public static AuditEntry? Current()
    {
        if (ServerCallContext.Current is { } call)
        {
            return call.Caller() is { } caller
                ? new AuditEntry(caller.Name, caller.Role.ToName(), call.Method.Path, call.RemoteAddress?.ToString() ?? "unknown", RequestIdFilter.Of(call))
                : null;
        }
        return Ambient.Value;
    }

    /// <summary>Records the writes of this flow against an actor that is not a gRPC caller (admin commands, start-up).</summary>
    public static IDisposable Begin(string principal, string method)
    {
        var previous = Ambient.Value;
        Ambient.Value = new AuditEntry(principal, "admin", method, "local", Guid.NewGuid().ToString("N"));
        return new Restore(previous);
    }

    private sealed class Restore(AuditEntry? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
