using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Credentials.Grpc.Protocol;
using Google.Protobuf;

namespace Credentials.Grpc.Client;

/// <summary>
/// One call from the client: an HTTP/2 request whose body carries the request messages and
/// whose response carries headers, messages and the status in trailers (or Trailers-Only).
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : IDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcChannel _channel;
    private readonly string _path;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _callSource;
    private readonly CancellationTokenSource? _deadlineSource;
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<HttpResponseMessage>? _response;
    private MessageReader? _reader;
    private StreamingRequestContent? _requestStream;
    private Status? _status;
    private Metadata? _trailers;
    private Google.Rpc.Status? _details;
    private int _disposed;

    public GrpcCall(GrpcChannel channel, string path, CallOptions options)
    {
        _channel = channel;
        _path = path;
        _options = options;
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - DateTime.UtcNow;
            _deadlineSource = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }
        _callSource = _deadlineSource is null
            ? CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken, _deadlineSource.Token);
    }

    public Task<Metadata> ResponseHeadersAsync => _headers.Task;

    public StreamingRequestContent RequestStream => _requestStream ?? throw new InvalidOperationException("This call has no request stream.");

    public Status GetStatus() => _status ?? throw new InvalidOperationException("The call has not finished yet.");

    public Metadata GetTrailers() => _trailers ?? throw new InvalidOperationException("The call has not finished yet.");

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
        if (_options.Deadline is { } deadline && _deadlineSource is not null)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(deadline.ToUniversalTime() - DateTime.UtcNow));
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
            throw Fail(ToStatus(e));
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            response.Dispose();
            throw Fail(new Status(FromHttpStatus(response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}"));
        }
        if (!GrpcProtocol.IsGrpcProtoContentType(response.Content.Headers.ContentType?.ToString()))
        {
            response.Dispose();
            throw Fail(new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {response.Content.Headers.ContentType}"));
        }
        var metadata = ReadMetadata(response.Headers);
        if (TryReadStatus(response.Headers, out var status, out var details))
        {
            // Trailers-Only: the headers are the trailers too.
            _trailers = metadata;
            _details = details;
            _status = status;
            _requestStream?.Fail(new RpcException(status, metadata, details));
        }
        _headers.TrySetResult(metadata);
        return response;
    }

    /// <summary>The next response message; null after the last, when the status is OK. Throws for any other status.</summary>
    public async Task<TResponse?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var response = await (_response ?? throw new InvalidOperationException("The call has not started."));
        if (_status is { } finished)
        {
            return finished.StatusCode == StatusCode.OK ? null : throw new RpcException(finished, _trailers, _details);
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
                _reader = new MessageReader(PipeReader.Create(stream), _channel.Options.MaxReceiveMessageSize, encoding);
            }
            var message = await _reader.ReadAsync(ParserOf<TResponse>.Parser, token);
            if (message is not null)
            {
                return message;
            }
        }
        catch (Exception e)
        {
            throw Fail(ToStatus(e));
        }

        var trailers = response.TrailingHeaders;
        _trailers = ReadMetadata(trailers);
        if (!TryReadStatus(trailers, out var status, out _details))
        {
            status = new Status(StatusCode.Internal, "The response ended without a grpc-status.");
        }
        _status = status;
        _requestStream?.Complete();
        return status.StatusCode == StatusCode.OK ? null : throw new RpcException(status, _trailers, _details);
    }

    /// <summary>The single response of a unary or client-streaming call.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        var message = await ReadMessageAsync(CancellationToken.None)
            ?? throw Fail(new Status(StatusCode.Internal, "The server answered OK without a response message."));
        if (await ReadMessageAsync(CancellationToken.None) is not null)
        {
            throw Fail(new Status(StatusCode.Internal, "The server sent more than one response message."));
        }
        return message;
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_status is { StatusCode: not StatusCode.OK } ended)
        {
            throw new RpcException(ended, _trailers, _details);
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _callSource.Token);
        var body = new ArrayBufferWriter<byte>();
        MessageFrame.Write(body, message, _channel.Options.SendCompression, _channel.Options.MaxSendMessageSize);
        try
        {
            var stream = await RequestStream.GetStreamAsync().WaitAsync(linked.Token);
            await stream.WriteAsync(body.WrittenMemory, linked.Token);
            await stream.FlushAsync(linked.Token);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw _status is { } status ? new RpcException(status, _trailers, _details) : Fail(ToStatus(e));
        }
    }

    /// <summary>Ends the call with a status of the client's own making, and resets the stream.</summary>
    private RpcException Fail(Status status)
    {
        _status ??= status;
        _trailers ??= [];
        var error = new RpcException(_status.Value, _trailers, _details);
        _headers.TrySetException(error);
        _requestStream?.Fail(error);
        if (!_callSource.IsCancellationRequested)
        {
            _callSource.Cancel();
        }
        return error;
    }

    private Status ToStatus(Exception e)
    {
        if (_deadlineSource?.IsCancellationRequested == true)
        {
            return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        if (_options.CancellationToken.IsCancellationRequested || Volatile.Read(ref _disposed) == 1)
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

    // grpc/grpc doc/http-grpc-status-mapping.md
    private static StatusCode FromHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 => StatusCode.Internal,
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

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        if (_status is null)
        {
            // Cancelling an unfinished call resets its stream (RST_STREAM CANCEL).
            _status = new Status(StatusCode.Cancelled, "Call disposed.");
            _headers.TrySetCanceled();
            _requestStream?.Fail(new RpcException(_status.Value));
            _callSource.Cancel();
        }
        if (_response is { IsCompletedSuccessfully: true })
        {
            _response.Result.Dispose();
        }
        _callSource.Dispose();
        _deadlineSource?.Dispose();
    }
}
