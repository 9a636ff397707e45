using Credentials.Core.Principals;
using Microsoft.AspNetCore.Authorization;

namespace Credentials.Server.Security;

/// <summary>
/// Who may call a method, as ASP.NET Core authorization policies: every method of our services
/// carries <c>[Authorize(Policy = Policies.X)]</c> or <c>[AllowAnonymous]</c>; a method with neither
/// meets the fallback policy, which refuses everyone (<see cref="NoAccessRule"/>).
/// </summary>
public static class Policies
{
    /// <summary>The HR authority (人社部门) alone.</summary>
    public const string Authority = "authority";

    /// <summary>Those who issue, revoke and record: the authority and committees (for their own committee).</summary>
    public const string Issuers = "issuers";

    /// <summary>Those who oversee: the authority and the provincial platform.</summary>
    public const string Oversight = "oversight";

    /// <summary>Those who read the records: the authority, the platform and committees (their own).</summary>
    public const string RecordReaders = "record-readers";

    /// <summary>Those who verify in bulk: the authority, the platform and employers.</summary>
    public const string Verifiers = "verifiers";

    /// <summary>Any principal with a valid token, whatever its role (holders are no principals).</summary>
    public const string AnyPrincipal = "any-principal";

    /// <summary>Certificate holders (持证人), signed in with the identity provider's JWT.</summary>
    public const string Holder = "holder";

    private static readonly Dictionary<string, Role[]> Roles = new(StringComparer.Ordinal)
    {
        [Authority] = [Role.Authority],
        [Issuers] = [Role.Authority, Role.Committee],
        [Oversight] = [Role.Authority, Role.Platform],
        [RecordReaders] = [Role.Authority, Role.Platform, Role.Committee],
        [Verifiers] = [Role.Authority, Role.Platform, Role.Employer],
        [AnyPrincipal] = [Role.Authority, Role.Platform, Role.Committee, Role.Employer],
        [Holder] = [Role.Holder],
    };

    /// <summary>The roles a policy admits (for the docs' table and the tests).</summary>
    public static IReadOnlyList<Role> RolesOf(string policy) => Roles[policy];

    public static void Add(AuthorizationOptions options)
    {
        foreach (var (name, roles) in Roles)
        {
            options.AddPolicy(name, policy => policy
                .AddAuthenticationSchemes(BearerSchemes.Name)
                .RequireAuthenticatedUser()
                .RequireRole(roles.Select(r => r.ToName())));
        }
        options.FallbackPolicy = new AuthorizationPolicyBuilder().AddRequirements(new NoAccessRule()).Build();
    }
}

/// <summary>
/// The fallback policy's requirement: no handler ever meets it, so an endpoint that states no
/// access rule is refused to everyone instead of being open by omission.
/// </summary>
public sealed class NoAccessRule : IAuthorizationRequirement;
