using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace Credentials.Grpc.Client;

/// <summary>What every call shape offers besides its messages: headers, status, trailers, cancellation.</summary>
public abstract class AsyncCallBase : IDisposable
{
    private readonly IClientCall _call;

    private protected AsyncCallBase(IClientCall call) => _call = call;

    /// <summary>The response headers (custom metadata), when they arrive.</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <summary>The status; only after the call has finished.</summary>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The trailing metadata; only after the call has finished.</summary>
    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Cancels the call if it has not finished (the server sees RST_STREAM).</summary>
    public void Dispose()
    {
        _call.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class AsyncUnaryCall<TResponse> : AsyncCallBase
{
    internal AsyncUnaryCall(IClientCall call, Task<TResponse> response)
        : base(call) => ResponseAsync = response;

    public Task<TResponse> ResponseAsync { get; }

    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();
}

public sealed class AsyncServerStreamingCall<TResponse> : AsyncCallBase
{
    internal AsyncServerStreamingCall(IClientCall call, IAsyncStreamReader<TResponse> responses)
        : base(call) => ResponseStream = responses;

    public IAsyncStreamReader<TResponse> ResponseStream { get; }
}

public sealed class AsyncClientStreamingCall<TRequest, TResponse> : AsyncCallBase
{
    internal AsyncClientStreamingCall(IClientCall call, IClientStreamWriter<TRequest> requests, Task<TResponse> response)
        : base(call)
    {
        RequestStream = requests;
        ResponseAsync = response;
    }

    public IClientStreamWriter<TRequest> RequestStream { get; }

    public Task<TResponse> ResponseAsync { get; }

    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();
}

public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : AsyncCallBase
{
    internal AsyncDuplexStreamingCall(IClientCall call, IClientStreamWriter<TRequest> requests, IAsyncStreamReader<TResponse> responses)
        : base(call)
    {
        RequestStream = requests;
        ResponseStream = responses;
    }

    public IClientStreamWriter<TRequest> RequestStream { get; }

    public IAsyncStreamReader<TResponse> ResponseStream { get; }
}

internal sealed class ClientResponseStream<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call) : IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private TResponse? _current;

    public TResponse Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        _current = await call.ReadMessageAsync(cancellationToken);
        return _current is not null;
    }
}

internal sealed class ClientRequestStream<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call) : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private Task _pending = Task.CompletedTask;
    private bool _completed;

    public Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The request stream has already been completed.");
        }
        if (!_pending.IsCompleted)
        {
            throw new InvalidOperationException("A write is already in progress; await it before writing again.");
        }
        return _pending = call.WriteAsync(message, cancellationToken);
    }

    public Task CompleteAsync()
    {
        _completed = true;
        call.RequestStream.Complete();
        return Task.CompletedTask;
    }
}
