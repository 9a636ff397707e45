using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Grpc;

/// <summary>
/// Ends a call with a status. On the server, throw it from a handler; on the client, a call
/// that ends with a status other than OK throws it. <see cref="Details"/> travels as a
/// <c>google.rpc.Status</c> in <c>grpc-status-details-bin</c>, with the same code and message.
/// </summary>
public class RpcException : Exception
{
    public RpcException(Status status, Metadata? trailers = null, Google.Rpc.Status? details = null)
        : base(status.Detail.Length == 0 ? status.StatusCode.ToName() : $"{status.StatusCode.ToName()}: {status.Detail}")
    {
        Status = status;
        Trailers = trailers ?? [];
        Details = details;
    }

    public RpcException(StatusCode code, string detail)
        : this(new Status(code, detail))
    {
    }

    public Status Status { get; }

    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>Custom trailing metadata sent (server) or received (client) with the status.</summary>
    public Metadata Trailers { get; }

    /// <summary>The rich status, when there is one; its code and message equal <see cref="Status"/>.</summary>
    public Google.Rpc.Status? Details { get; }

    /// <summary>A status with typed details (BadRequest, ErrorInfo, ...) packed into google.rpc.Status.</summary>
    public static RpcException WithDetails(StatusCode code, string message, params IMessage[] details)
    {
        var rich = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var detail in details)
        {
            rich.Details.Add(Any.Pack(detail));
        }
        return new RpcException(new Status(code, message), details: rich);
    }

    /// <summary>The first detail of type <typeparamref name="T"/>, or null.</summary>
    public T? GetDetail<T>() where T : class, IMessage<T>, new()
    {
        if (Details is null)
        {
            return null;
        }
        var descriptor = new T().Descriptor;
        foreach (var any in Details.Details)
        {
            if (any.Is(descriptor))
            {
                return any.Unpack<T>();
            }
        }
        return null;
    }
}
