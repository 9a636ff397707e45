namespace Credentials.Server.Security;

/// <summary>
/// What a caller refused by a method's policy should do instead, appended to the PERMISSION_DENIED message
/// (e.g. an employer asking for integrity status by ID number is pointed to share codes).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RefusalHintAttribute(string hint) : Attribute
{
    public string Hint { get; } = hint;
}
