using Google.Protobuf;
using Grpc.Core;

namespace Credentials.Server.Tests;

internal static class RpcExceptionDetails
{
    /// <summary>The first detail of type <typeparamref name="T"/> in the call's <c>google.rpc.Status</c> (grpc-status-details-bin), or null.</summary>
    public static T? GetDetail<T>(this RpcException error) where T : class, IMessage<T>, new() => error.GetRpcStatus()?.GetDetail<T>();
}
