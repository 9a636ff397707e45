using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Credentials.Grpc.Protocol;
using Google.Protobuf;

namespace Credentials.Grpc.Client;

/// <summary>What the public call objects read from the call behind them.</summary>
internal interface IClientCall : IDisposable
{
    Task<Metadata> ResponseHeadersAsync { get; }

    Status GetStatus();

    Metadata GetTrailers();
}

/// <summary>
/// One call from the client: an HTTP/2 request whose body carries the request messages and
/// whose response carries headers, messages and the status in trailers (or Trailers-Only).
/// The call finishes once, with the first status known (from the server, the deadline, a
/// cancellation or a local error); finishing releases the deadline timer, the registration on
/// the caller's token and the HTTP/2 stream, which is reset if the response was not read to its end.
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : IClientCall
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    // Timers cannot wait longer than ~49 days; the deadline still travels in grpc-timeout.
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(45);

    private readonly GrpcChannel _channel;
    private readonly string _path;
    private readonly CallOptions _options;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _callSource = new();
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _cancellationRegistration;
    private readonly ITimer? _deadlineTimer;
    private Task<HttpResponseMessage>? _response;
    private HttpResponseMessage? _openResponse;
    private PipeReader? _body;
    private MessageReader? _reader;
    private StreamingRequestContent? _requestStream;
    private Status? _status;
    private Metadata? _trailers;
    private Google.Rpc.Status? _details;
    private volatile bool _deadlineExceeded;
    private volatile bool _disposed;

    public GrpcCall(GrpcChannel channel, string path, CallOptions options)
    {
        _channel = channel;
        _path = path;
        _options = options;
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - channel.Options.TimeProvider.GetUtcNow().UtcDateTime;
            if (remaining <= TimeSpan.Zero)
            {
                OnDeadline();
            }
            else if (remaining <= MaxTimerDelay)
            {
                _deadlineTimer = channel.Options.TimeProvider.CreateTimer(
                    static state => ((GrpcCall<TRequest, TResponse>)state!).OnDeadline(), this, remaining, Timeout.InfiniteTimeSpan);
            }
        }
        if (options.CancellationToken.CanBeCanceled)
        {
            _cancellationRegistration = options.CancellationToken.UnsafeRegister(
                static state => ((GrpcCall<TRequest, TResponse>)state!).Finish(new Status(StatusCode.Cancelled, "Call cancelled by the client.")), this);
        }
    }

    public Task<Metadata> ResponseHeadersAsync => _headers.Task;

    public StreamingRequestContent RequestStream => _requestStream ?? throw new InvalidOperationException("This call has no request stream.");

    public Status GetStatus() => Finished ?? throw new InvalidOperationException("The call has not finished yet.");

    public Metadata GetTrailers() => Finished is null ? throw new InvalidOperationException("The call has not finished yet.") : _trailers!;

    /// <summary>The status the call ended with, or null. Read under the lock: a Status? is too wide to read atomically.</summary>
    private Status? Finished
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>Starts a call with a single request message (unary and server streaming).</summary>
    public void Start(TRequest request)
    {
        var body = new ArrayBufferWriter<byte>();
        MessageFrame.Write(body, request, _channel.Options.SendCompression, _channel.Options.MaxSendMessageSize);
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.TryAddWithoutValidation("content-type", GrpcProtocol.ContentType);
        Start(content);
    }

    /// <summary>Starts a call whose request messages are written later (client streaming and bidirectional).</summary>
    public void StartStreaming()
    {
        _requestStream = new StreamingRequestContent();
        Start(_requestStream);
    }

    private void Start(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_channel.Address, _path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TeTrailers);
        headers.TryAddWithoutValidation("user-agent", GrpcChannel.UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, MessageCompression.AcceptEncoding);
        if (_channel.Options.SendCompression is { } encoding)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, encoding);
        }
        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - _channel.Options.TimeProvider.GetUtcNow().UtcDateTime;
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(remaining));
        }
        AddMetadata(headers, _channel.Options.DefaultHeaders);
        AddMetadata(headers, _options.Headers);
        _response = SendAsync(request);
    }

    private static void AddMetadata(HttpRequestHeaders headers, Metadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }
        foreach (var entry in metadata)
        {
            headers.TryAddWithoutValidation(entry.Key, MetadataEncoding.ToHeaderValue(entry));
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        HttpResponseMessage response;
        try
        {
            _callSource.Token.ThrowIfCancellationRequested();
            response = await _channel.Invoker.SendAsync(request, _callSource.Token);
        }
        catch (Exception e)
        {
            throw ToException(Finish(ToStatus(e)));
        }
        finally
        {
            request.Dispose();
        }

        Status? finishedMeanwhile;
        lock (_lock)
        {
            finishedMeanwhile = _status;
            if (finishedMeanwhile is null)
            {
                _openResponse = response;
            }
        }
        if (finishedMeanwhile is { } finished)
        {
            // Finished while the headers were on their way (deadline, cancellation).
            response.Dispose();
            throw ToException(finished);
        }

        var headers = response.Headers;
        var hasStatus = TryReadStatus(headers, out var status, out var details);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            // A grpc-status, when there is one, wins over the HTTP status (http-grpc-status-mapping.md).
            throw ToException(Finish(hasStatus
                ? status
                : new Status(FromHttpStatus(response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}")));
        }
        if (!GrpcProtocol.IsGrpcProtoContentType(response.Content.Headers.ContentType?.ToString()))
        {
            throw ToException(Finish(new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {response.Content.Headers.ContentType}")));
        }
        var metadata = ReadMetadata(headers);
        _headers.TrySetResult(metadata);
        if (hasStatus)
        {
            // Trailers-Only: the headers are the trailers too.
            Finish(status, metadata, details);
        }
        return response;
    }

    /// <summary>The next response message; null after the last, when the status is OK. Throws for any other status.</summary>
    public async Task<TResponse?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var response = await (_response ?? throw new InvalidOperationException("The call has not started."));
        if (Finished is { } finished)
        {
            return ResultOf(finished);
        }
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _callSource.Token)
            : null;
        var token = linked?.Token ?? _callSource.Token;
        try
        {
            if (_reader is null)
            {
                var stream = await response.Content.ReadAsStreamAsync(token);
                var encoding = response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var values) ? values.FirstOrDefault() : null;
                _body = PipeReader.Create(stream);
                _reader = new MessageReader(_body, _channel.Options.MaxReceiveMessageSize, encoding);
            }
            var message = await _reader.ReadAsync(ParserOf<TResponse>.Parser, token);
            if (message is not null)
            {
                return message;
            }
        }
        catch (Exception e)
        {
            _body?.Complete();
            throw ToException(Finish(ToStatus(e)));
        }

        // Give the pipe's buffers back; the trailers are there once the body has ended.
        _body?.Complete();
        var trailers = response.TrailingHeaders;
        if (!TryReadStatus(trailers, out var status, out var details))
        {
            status = new Status(StatusCode.Unknown, "Bad gRPC response. The response ended without a grpc-status.");
        }
        return ResultOf(Finish(status, ReadMetadata(trailers), details));
    }

    /// <summary>The single response of a unary or client-streaming call.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        var message = await ReadMessageAsync(CancellationToken.None)
            ?? throw ToException(Finish(new Status(StatusCode.Internal, "Bad gRPC response. The server answered OK without a response message."), overrideOk: true));
        if (await ReadMessageAsync(CancellationToken.None) is not null)
        {
            throw ToException(Finish(new Status(StatusCode.Internal, "Bad gRPC response. The server sent more than one response message.")));
        }
        return message;
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ThrowIfFinished();
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _callSource.Token)
            : null;
        var token = linked?.Token ?? _callSource.Token;
        var body = new ArrayBufferWriter<byte>();
        MessageFrame.Write(body, message, _channel.Options.SendCompression, _channel.Options.MaxSendMessageSize);
        try
        {
            var stream = await RequestStream.GetStreamAsync().WaitAsync(token);
            await stream.WriteAsync(body.WrittenMemory, token);
            await stream.FlushAsync(token);
        }
        catch (Exception e)
        {
            throw ToException(Finish(ToStatus(e)));
        }
    }

    private void ThrowIfFinished()
    {
        if (Finished is { } finished)
        {
            throw finished.StatusCode == StatusCode.OK
                ? new InvalidOperationException("The call has already finished: no more messages can be written.")
                : ToException(finished);
        }
    }

    private TResponse? ResultOf(Status status) => status.StatusCode == StatusCode.OK ? null : throw ToException(status);

    private RpcException ToException(Status status) => new(status, _trailers, _details);

    private void OnDeadline()
    {
        _deadlineExceeded = true;
        Finish(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
    }

    /// <summary>
    /// Ends the call with <paramref name="status"/> unless it has already ended (then returns the
    /// status it ended with), and releases what the call holds. An error resets the stream.
    /// <paramref name="overrideOk"/> turns an OK that broke the protocol into that error.
    /// </summary>
    private Status Finish(Status status, Metadata? trailers = null, Google.Rpc.Status? details = null, bool overrideOk = false)
    {
        HttpResponseMessage? response;
        lock (_lock)
        {
            if (_status is { } existing && !(overrideOk && existing.StatusCode == StatusCode.OK))
            {
                return existing;
            }
            _status = status;
            _trailers = trailers ?? _trailers ?? [];
            _details = details ?? _details;
            response = _openResponse;
            _openResponse = null;
        }
        _deadlineTimer?.Dispose();
        _cancellationRegistration.Dispose();
        if (status.StatusCode == StatusCode.OK)
        {
            _requestStream?.Complete();
        }
        else
        {
            var error = ToException(status);
            if (_headers.TrySetException(error))
            {
                // Observed here: most callers never ask for the headers of a failed call.
                _ = _headers.Task.Exception;
            }
            _requestStream?.Fail(error);
            _callSource.Cancel();
        }
        // Disposing a response not read to its end resets the stream (RST_STREAM CANCEL).
        response?.Dispose();
        return status;
    }

    private Status ToStatus(Exception e)
    {
        if (_deadlineExceeded)
        {
            return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        if (_options.CancellationToken.IsCancellationRequested || _disposed)
        {
            return new Status(StatusCode.Cancelled, "Call cancelled by the client.");
        }
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case RpcException rpc:
                    return rpc.Status;
                case HttpProtocolException protocol:
                    return new Status(FromHttp2Error(protocol.ErrorCode), $"The stream was reset: HTTP/2 error code {protocol.ErrorCode}.");
            }
        }
        return e switch
        {
            OperationCanceledException => new Status(StatusCode.Cancelled, "Call cancelled."),
            HttpRequestException or IOException => new Status(StatusCode.Unavailable, $"Error connecting to the server: {e.Message}"),
            _ => new Status(StatusCode.Internal, $"Error in the call: {e.GetType().Name}"),
        };
    }

    // grpc/grpc doc/http-grpc-status-mapping.md, for responses without grpc-status.
    private static StatusCode FromHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 or 431 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    // grpc/grpc doc/PROTOCOL-HTTP2.md, "Errors": RST_STREAM codes.
    private static StatusCode FromHttp2Error(long code) => code switch
    {
        0x7 => StatusCode.Unavailable,
        0x8 => StatusCode.Cancelled,
        0xB => StatusCode.ResourceExhausted,
        0xC => StatusCode.PermissionDenied,
        _ => StatusCode.Internal,
    };

    private static bool TryReadStatus(HttpHeaders headers, out Status status, out Google.Rpc.Status? details)
    {
        status = default;
        details = null;
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var codes))
        {
            return false;
        }
        var code = int.TryParse(codes.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? (StatusCode)value
            : StatusCode.Unknown;
        var message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages)
            ? PercentEncoding.Decode(messages.FirstOrDefault() ?? "")
            : "";
        status = new Status(code, message);
        if (headers.TryGetValues(GrpcProtocol.StatusDetailsHeader, out var detailValues))
        {
            try
            {
                details = Google.Rpc.Status.Parser.ParseFrom(MetadataEncoding.FromBase64(detailValues.First()));
            }
            catch (Exception e) when (e is FormatException or InvalidProtocolBufferException)
            {
                details = null;
            }
        }
        return true;
    }

    private static Metadata ReadMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key) || header.Key.Equals("date", StringComparison.OrdinalIgnoreCase)
                || header.Key.Equals("server", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            foreach (var value in header.Value)
            {
                try
                {
                    MetadataEncoding.AddFromHeader(metadata, header.Key, value);
                }
                catch (RpcException)
                {
                    // A malformed entry from the server is dropped, not fatal to the call.
                }
            }
        }
        return metadata;
    }

    /// <summary>Cancels the call if it has not finished (the server sees RST_STREAM), and releases it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Finish(new Status(StatusCode.Cancelled, "Call disposed."));
    }
}
