using System.Net;

namespace Credentials.Grpc.Tests.Support;

/// <summary>A request body written by a test while the request runs: small writes, pauses on signals.</summary>
public sealed class WriterContent(Func<Stream, Task> write) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => write(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
