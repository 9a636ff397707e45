using Credentials.Core.Principals;
using Credentials.Grpc.Server;

namespace Credentials.Server.Security;

public static class CallerExtensions
{
    private static readonly object Key = new();

    /// <summary>The authenticated principal, or null for an anonymous call.</summary>
    public static Principal? Caller(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var principal) ? (Principal?)principal : null;

    /// <summary>The authenticated principal of a method that requires one.</summary>
    public static Principal RequireCaller(this ServerCallContext context) =>
        context.Caller() ?? throw new InvalidOperationException("The method requires an authenticated caller.");

    internal static void SetCaller(this ServerCallContext context, Principal principal) => context.UserState[Key] = principal;
}
