using Credentials.Grpc.Protocol;

namespace Credentials.Grpc.Server;

/// <summary>Limits and switches of the gRPC server.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The largest request message accepted, after decompression. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>The largest response message sent. Default: no limit.</summary>
    public int MaxSendMessageSize { get; set; } = int.MaxValue;

    /// <summary>Serve grpc.health.v1.Health.</summary>
    public bool EnableHealth { get; set; } = true;

    /// <summary>Serve grpc.reflection.v1 and v1alpha ServerReflection.</summary>
    public bool EnableReflection { get; set; } = true;

    /// <summary>
    /// Turns an exception a handler or filter threw into a status; return null to keep the default
    /// (UNKNOWN without exception text). Lets the host map its own error types.
    /// </summary>
    public Func<Exception, RpcException?>? ExceptionMapper { get; set; }

    /// <summary>The clock deadlines are measured with.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
