using Credentials.Core.Principals;
using Credentials.Server.Security;
using Credentials.Store.Audit;
using Grpc.Core;

namespace Credentials.Server.Audit;

/// <summary>
/// Who the writes of a call are recorded against: the authenticated caller with the method, the
/// client's address and the request id, taken from the call itself. Services hand it to the writer
/// (<c>writer.ExecuteAsync(context.Audit(), ...)</c>), which stores it with the write in the same
/// transaction. Anonymous calls have none: they write nothing. Made when a write asks for it, not
/// for every call: most calls write nothing.
/// </summary>
public static class CallAudit
{
    /// <summary>The audit entry of the call's writes; throws for an anonymous call.</summary>
    public static AuditEntry Audit(this ServerCallContext context) =>
        context.Caller() is { } caller
            ? new AuditEntry(caller.Name, caller.Role.ToName(), context.Method, context.ClientAddress(), context.RequestId())
            : throw new InvalidOperationException("A write needs an authenticated caller; this call has none.");
}
