using Credentials.Core.Principals;

namespace Credentials.Server.Security;

/// <summary>Who may call a method: a principal with one of these roles.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AuthorizeAttribute(params Role[] roles) : Attribute
{
    public IReadOnlyList<Role> Roles { get; } = roles;
}

/// <summary>Anyone may call the method, with or without a token (a token, when sent, must be valid).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AllowAnonymousAttribute : Attribute;
