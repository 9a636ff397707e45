using System.Security.Cryptography.X509Certificates;
using Credentials.Grpc.Protocol;

namespace Credentials.Grpc.Client;

public sealed class GrpcChannelOptions
{
    /// <summary>The largest response message accepted. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>The largest request message sent. Default: no limit.</summary>
    public int MaxSendMessageSize { get; set; } = int.MaxValue;

    /// <summary>Compress request messages with gzip or deflate; null sends them as they are.</summary>
    public string? SendCompression { get; set; }

    /// <summary>Metadata added to every call (for example the authorization header).</summary>
    public Metadata? DefaultHeaders { get; set; }

    /// <summary>Trust these roots for the server's TLS certificate instead of the system store.</summary>
    public X509Certificate2Collection? TrustedRoots { get; set; }

    /// <summary>Present this certificate to servers that ask for one (mutual TLS).</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>The clock call deadlines are measured with.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A handler to send requests with instead of the channel's own; the channel does not dispose it.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }
}
