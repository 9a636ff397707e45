using System.Reflection;
using Credentials.Grpc.Protocol;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Credentials.Grpc.Server;

/// <summary>A method the server routes to: its descriptor, the CLR method that implements it, its call counts.</summary>
public abstract class ServerMethod
{
    private readonly long[] _statusCounts = new long[StatusCodeNames.Count];

    private protected ServerMethod(MethodDescriptor descriptor, MethodInfo? implementation)
    {
        Descriptor = descriptor;
        Implementation = implementation;
        Path = GrpcProtocol.PathOf(descriptor);
    }

    public MethodDescriptor Descriptor { get; }

    /// <summary>The implementing method; null when the service object does not implement it.</summary>
    public MethodInfo? Implementation { get; }

    /// <summary>The HTTP/2 path: <c>/package.Service/Method</c>.</summary>
    public string Path { get; }

    /// <summary>An attribute on the implementing method, or else on its class.</summary>
    public T? GetAttribute<T>() where T : Attribute =>
        Implementation?.GetCustomAttribute<T>() ?? Implementation?.DeclaringType?.GetCustomAttribute<T>();

    /// <summary>Calls that ended with each status since the server started.</summary>
    public IEnumerable<(StatusCode Status, long Count)> GetStatusCounts()
    {
        for (var i = 0; i < _statusCounts.Length; i++)
        {
            var count = Interlocked.Read(ref _statusCounts[i]);
            if (count > 0)
            {
                yield return ((StatusCode)i, count);
            }
        }
    }

    internal void Count(StatusCode status)
    {
        if ((uint)status < (uint)_statusCounts.Length)
        {
            Interlocked.Increment(ref _statusCounts[(int)status]);
        }
    }

    internal abstract Task InvokeAsync(ServerCallContext call);

    private protected static async Task<TRequest> ReadSingleRequestAsync<TRequest>(ServerCallContext call)
        where TRequest : class, IMessage<TRequest>
    {
        var reader = call.CreateReader();
        var request = await reader.ReadAsync(ParserOf<TRequest>.Parser, call.CancellationToken)
            ?? throw new RpcException(StatusCode.Unimplemented,
                "Expected exactly one request message for this method; the request stream was empty.");
        if (!await reader.IsAtEndAsync(call.CancellationToken))
        {
            throw new RpcException(StatusCode.Unimplemented,
                "Expected exactly one request message for this method; the request stream had more.");
        }
        return request;
    }
}

internal sealed class UnaryServerMethod<TRequest, TResponse>(MethodDescriptor descriptor, MethodInfo implementation, object target)
    : ServerMethod(descriptor, implementation)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<TRequest, ServerCallContext, Task<TResponse>> _handler =
        implementation.CreateDelegate<Func<TRequest, ServerCallContext, Task<TResponse>>>(target);

    internal override async Task InvokeAsync(ServerCallContext call)
    {
        var request = await ReadSingleRequestAsync<TRequest>(call);
        var response = await _handler(request, call);
        await call.WriteMessageAsync(response, flush: false, call.CancellationToken);
    }
}

internal sealed class ServerStreamingServerMethod<TRequest, TResponse>(MethodDescriptor descriptor, MethodInfo implementation, object target)
    : ServerMethod(descriptor, implementation)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> _handler =
        implementation.CreateDelegate<Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>(target);

    internal override async Task InvokeAsync(ServerCallContext call)
    {
        var request = await ReadSingleRequestAsync<TRequest>(call);
        await _handler(request, new ServerStreamWriter<TResponse>(call), call);
    }
}

internal sealed class ClientStreamingServerMethod<TRequest, TResponse>(MethodDescriptor descriptor, MethodInfo implementation, object target)
    : ServerMethod(descriptor, implementation)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> _handler =
        implementation.CreateDelegate<Func<IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>>(target);

    internal override async Task InvokeAsync(ServerCallContext call)
    {
        var response = await _handler(new ServerStreamReader<TRequest>(call), call);
        await call.WriteMessageAsync(response, flush: false, call.CancellationToken);
    }
}

internal sealed class DuplexStreamingServerMethod<TRequest, TResponse>(MethodDescriptor descriptor, MethodInfo implementation, object target)
    : ServerMethod(descriptor, implementation)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> _handler =
        implementation.CreateDelegate<Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>>(target);

    internal override Task InvokeAsync(ServerCallContext call) =>
        _handler(new ServerStreamReader<TRequest>(call), new ServerStreamWriter<TResponse>(call), call);
}

/// <summary>A method of the service that its implementation does not provide.</summary>
internal sealed class UnimplementedServerMethod(MethodDescriptor descriptor) : ServerMethod(descriptor, null)
{
    internal override Task InvokeAsync(ServerCallContext call) =>
        throw new RpcException(StatusCode.Unimplemented, $"Method {Descriptor.FullName} is unimplemented.");
}

internal sealed class ServerStreamReader<T>(ServerCallContext call) : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private readonly MessageReader _reader = call.CreateReader();
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        using var linked = Link(cancellationToken, call.CancellationToken, out var token);
        _current = await _reader.ReadAsync(ParserOf<T>.Parser, token);
        return _current is not null;
    }

    internal static CancellationTokenSource? Link(CancellationToken a, CancellationToken b, out CancellationToken token)
    {
        if (!a.CanBeCanceled || a == b)
        {
            token = b;
            return null;
        }
        var source = CancellationTokenSource.CreateLinkedTokenSource(a, b);
        token = source.Token;
        return source;
    }
}

internal sealed class ServerStreamWriter<T>(ServerCallContext call) : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    public async Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var linked = ServerStreamReader<T>.Link(cancellationToken, call.CancellationToken, out var token);
        await call.WriteMessageAsync(message, flush: true, token);
    }
}
