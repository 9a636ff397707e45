using System.Security.Claims;
using Credentials.Core.Principals;
using Grpc.Core;

namespace Credentials.Server.Security;

/// <summary>
/// The authenticated principal of a call, as the authentication handlers put it in the call's claims:
/// its name, role and, for a committee, the committee it acts for; for a holder, their keyed HMAC.
/// </summary>
public sealed record Caller(string Name, Role Role, string? CommitteeCode)
{
    /// <summary>The claim of a committee principal's committee code.</summary>
    public const string CommitteeClaim = "credentials:committee";

    /// <summary>The claim of a holder's keyed HMAC (base64), which stands in for their ID number.</summary>
    public const string HolderClaim = "credentials:holder";

    /// <summary>For a holder: the keyed HMAC of their identity document (HolderDigests.Lookup).</summary>
    public byte[]? HolderDigest { get; init; }

    /// <summary>The claims the token handler issues for <paramref name="principal"/>.</summary>
    public static IEnumerable<Claim> Claims(Principal principal)
    {
        yield return new Claim(ClaimTypes.Name, principal.Name);
        yield return new Claim(ClaimTypes.Role, principal.Role.ToName());
        if (principal.CommitteeCode is { } code)
        {
            yield return new Claim(CommitteeClaim, code);
        }
    }

    /// <summary>The caller an authenticated user stands for, or null for an anonymous one.</summary>
    public static Caller? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true
            || user.FindFirstValue(ClaimTypes.Name) is not { } name
            || !RoleNames.TryParse(user.FindFirstValue(ClaimTypes.Role), out var role))
        {
            return null;
        }
        return new Caller(name, role, user.FindFirstValue(CommitteeClaim))
        {
            HolderDigest = role == Role.Holder && user.FindFirstValue(HolderClaim) is { } holder ? Convert.FromBase64String(holder) : null,
        };
    }
}

public static class CallerExtensions
{
    /// <summary>The authenticated caller, or null for an anonymous call.</summary>
    public static Caller? Caller(this ServerCallContext context) => Security.Caller.From(context.GetHttpContext().User);

    /// <summary>The authenticated caller of a method whose policy requires one.</summary>
    public static Caller RequireCaller(this ServerCallContext context) =>
        context.Caller() ?? throw new InvalidOperationException("The method requires an authenticated caller.");

    /// <summary>The client's address as the audit trail and the access log record it.</summary>
    public static string ClientAddress(this ServerCallContext context) =>
        context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
