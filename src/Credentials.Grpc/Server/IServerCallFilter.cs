namespace Credentials.Grpc.Server;

/// <summary>
/// Runs before every handler, in registration order: authentication, authorization, rate
/// limits. Throwing <see cref="RpcException"/> ends the call with that status.
/// </summary>
public interface IServerCallFilter
{
    ValueTask OnCallStartingAsync(ServerCallContext context);
}
