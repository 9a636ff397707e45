using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Credentials.Grpc.Server;

/// <summary>Kestrel settings that suit gRPC: HTTP/2 windows large enough for streams of big messages.</summary>
public static class KestrelDefaults
{
    public static void ConfigureForGrpc(KestrelServerOptions options)
    {
        var http2 = options.Limits.Http2;
        http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
        http2.InitialStreamWindowSize = 1024 * 1024;
        // Request bodies are bounded per message by the gRPC layer, not as a whole.
        options.Limits.MaxRequestBodySize = null;
        options.AddServerHeader = false;
    }
}
