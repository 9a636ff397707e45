using Credentials.Core.Principals;
using Grpc.Core;

namespace Credentials.Server.Security;

/// <summary>
/// A committee principal is bound to one committee code (评审委员会 acts inside its own remit): it
/// reads and writes for that committee only. The role policies let it call the method; this says
/// whether it may for the committee the request names.
/// </summary>
public static class CommitteeBinding
{
    /// <summary>PERMISSION_DENIED unless <paramref name="caller"/> may act for committee <paramref name="code"/>.</summary>
    public static void EnsureActsFor(Caller caller, string code)
    {
        if (caller.Role == Role.Committee && !string.Equals(caller.CommitteeCode, code, StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"A committee token may only act for its own committee ({caller.CommitteeCode})."));
        }
    }
}
