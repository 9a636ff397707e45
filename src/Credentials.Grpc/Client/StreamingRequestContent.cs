using System.Net;

namespace Credentials.Grpc.Client;

/// <summary>
/// A request body written message by message while the call runs: HttpClient hands over the
/// stream when the request starts, and the body ends (END_STREAM) when the writer completes.
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamingRequestContent()
    {
        Headers.TryAddWithoutValidation("content-type", Protocol.GrpcProtocol.ContentType);
    }

    public Task<Stream> GetStreamAsync() => _stream.Task;

    public void Complete() => _complete.TrySetResult();

    public void Fail(Exception error)
    {
        _stream.TrySetException(error);
        _complete.TrySetException(error);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        _stream.TrySetResult(stream);
        await _complete.Task;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
