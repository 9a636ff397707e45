namespace Credentials.Core.Principals;

/// <summary>What a principal may do (see DESIGN.md, "Who uses it").</summary>
public enum Role
{
    /// <summary>HR authority (人力资源和社会保障部门): accredits committees, revokes, records misconduct, manages principals.</summary>
    Authority,

    /// <summary>Review committee (评审委员会): issues and revokes its own certificates; bound to one committee code.</summary>
    Committee,

    /// <summary>Employer (用人单位): verifies certificates presented to it.</summary>
    Employer,

    /// <summary>Provincial platform (省级平台): pulls every change, audits, reads statistics.</summary>
    Platform,

    /// <summary>
    /// Certificate holder (持证人), signed in with the identity provider's JWT, never a principal with a token: sees
    /// their own certificates, shares them with codes, sees who looked them up and their own integrity record.
    /// </summary>
    Holder,
}

public static class RoleNames
{
    /// <summary>The roles a principal (a <c>crd_</c> token) may have: every role but <see cref="Role.Holder"/>.</summary>
    public static IReadOnlyList<Role> PrincipalRoles { get; } = [Role.Authority, Role.Committee, Role.Employer, Role.Platform];

    public static string ToName(this Role role) => role switch
    {
        Role.Authority => "authority",
        Role.Committee => "committee",
        Role.Employer => "employer",
        Role.Platform => "platform",
        Role.Holder => "holder",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? name, out Role role)
    {
        role = name switch
        {
            "authority" => Role.Authority,
            "committee" => Role.Committee,
            "employer" => Role.Employer,
            "platform" => Role.Platform,
            "holder" => Role.Holder,
            _ => (Role)(-1),
        };
        return (int)role >= 0;
    }
}
