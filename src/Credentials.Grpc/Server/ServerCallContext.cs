using System.Net;
using Credentials.Grpc.Protocol;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Credentials.Grpc.Server;

/// <summary>
/// One call on the server: its metadata, deadline and cancellation, and the response it
/// writes. Writes are serialised with the deadline, which may end the call on its own.
/// </summary>
public sealed class ServerCallContext : IDisposable
{
    private static readonly AsyncLocal<ServerCallContext?> CurrentCall = new();
    private readonly HttpContext _http;
    private readonly GrpcServerOptions _options;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private CancellationTokenSource? _deadlineSource;
    private ITimer? _deadlineTimer;
    private Metadata? _requestHeaders;
    private Metadata? _responseHeaders;
    private Metadata? _responseTrailers;
    private string? _requestEncoding;
    private string? _responseEncoding;
    private bool _responseStarted;
    private bool _completed;
    private int _deadlineExceeded;

    internal ServerCallContext(HttpContext http, ServerMethod method, GrpcServerOptions options)
    {
        _http = http;
        _options = options;
        Method = method;
        CancellationToken = http.RequestAborted;
    }

    /// <summary>
    /// The call whose handler is running on this async flow, or null outside a call: for code far
    /// from the handler (an audit trail, a log scope), like IHttpContextAccessor.
    /// </summary>
    public static ServerCallContext? Current
    {
        get => CurrentCall.Value;
        internal set => CurrentCall.Value = value;
    }

    /// <summary>The method being called.</summary>
    public ServerMethod Method { get; }

    /// <summary>The caller's address, as gRPC prints it: <c>ipv4:127.0.0.1:5000</c>.</summary>
    public string Peer
    {
        get
        {
            var connection = _http.Connection;
            return connection.RemoteIpAddress switch
            {
                null => "unknown",
                { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip => $"ipv6:[{ip}]:{connection.RemotePort}",
                var ip => $"ipv4:{ip}:{connection.RemotePort}",
            };
        }
    }

    /// <summary>The client's address, without the port.</summary>
    public IPAddress? RemoteAddress => _http.Connection.RemoteIpAddress;

    /// <summary>When the call must end (UTC); <see cref="DateTime.MaxValue"/> without a deadline.</summary>
    public DateTime Deadline { get; private set; } = DateTime.MaxValue;

    /// <summary>Fires when the client cancels the call or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; private set; }

    /// <summary>Custom metadata the client sent.</summary>
    public Metadata RequestHeaders => _requestHeaders ??= ReadRequestHeaders();

    /// <summary>Custom metadata sent before the first message; add to it before writing.</summary>
    public Metadata ResponseHeaders => _responseHeaders ??= [];

    /// <summary>Custom metadata sent with the status.</summary>
    public Metadata ResponseTrailers => _responseTrailers ??= [];

    /// <summary>The status sent when the handler returns normally (OK unless set).</summary>
    public Status Status { get; set; } = Status.DefaultSuccess;

    /// <summary>State that filters and handlers share for this call (the authenticated principal).</summary>
    public IDictionary<object, object?> UserState => _http.Items;

    /// <summary>
    /// Compress response messages with this encoding (gzip or deflate). Ignored unless the
    /// client listed it in grpc-accept-encoding; set it before the first write.
    /// </summary>
    public string? ResponseEncoding
    {
        get => _responseEncoding;
        set
        {
            if (_responseStarted)
            {
                throw new InvalidOperationException("The response encoding must be chosen before the response starts.");
            }
            _responseEncoding = value is not null && ClientAccepts(value) ? value : null;
        }
    }

    /// <summary>The encoding of compressed request messages (grpc-encoding), or null for identity.</summary>
    public string? RequestEncoding => _requestEncoding;

    internal bool IsDeadlineExceeded => Volatile.Read(ref _deadlineExceeded) == 1;

    internal MessageReader CreateReader() =>
        new(_http.Request.BodyReader, _options.MaxReceiveMessageSize, _requestEncoding);

    /// <summary>The underlying ASP.NET Core request: TLS client certificate, connection, features.</summary>
    public HttpContext GetHttpContext() => _http;

    /// <summary>Sends the response headers now, with these entries added.</summary>
    public async Task WriteResponseHeadersAsync(Metadata headers)
    {
        await _writeLock.WaitAsync(CancellationToken);
        try
        {
            if (_completed)
            {
                throw new InvalidOperationException("Cannot send response headers: the call has already ended.");
            }
            if (_responseStarted)
            {
                throw new InvalidOperationException("Response headers can only be sent once per call.");
            }
            foreach (var entry in headers)
            {
                ResponseHeaders.Add(entry);
            }
            StartResponse();
            await _http.Response.BodyWriter.FlushAsync(CancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Checks the request encoding and sets up the deadline; throws for what the call cannot be served with.</summary>
    internal void Start()
    {
        var headers = _http.Request.Headers;
        var encoding = headers[GrpcProtocol.EncodingHeader].ToString();
        if (encoding.Length > 0 && encoding != MessageCompression.Identity)
        {
            if (!MessageCompression.IsSupported(encoding))
            {
                throw new RpcException(StatusCode.Unimplemented,
                    $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {MessageCompression.AcceptEncoding}");
            }
            _requestEncoding = encoding;
        }

        // Kestrel's body size limit and minimum data rate are for uploads, not calls: the message
        // limit applies instead, and a request stream may rightly be idle for a long time.
        if (_http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }
        if (Method.Descriptor.IsClientStreaming && _http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        var timeoutHeader = headers[GrpcProtocol.TimeoutHeader].ToString();
        if (timeoutHeader.Length > 0)
        {
            // Ignoring a malformed timeout would run the call with no deadline the client knows of.
            if (!GrpcTimeout.TryParse(timeoutHeader, out var timeout))
            {
                throw new RpcException(StatusCode.Internal,
                    "Malformed grpc-timeout header: expected at most 8 digits and a unit (H, M, S, m, u, n).");
            }
            StartDeadline(timeout);
        }
    }

    private void StartDeadline(TimeSpan timeout)
    {
        // Timers cannot wait longer than ~49 days; such a deadline is as good as none.
        if (timeout > TimeSpan.FromDays(45))
        {
            return;
        }
        var time = _options.TimeProvider;
        Deadline = time.GetUtcNow().UtcDateTime + timeout;
        _deadlineSource = CancellationTokenSource.CreateLinkedTokenSource(_http.RequestAborted);
        CancellationToken = _deadlineSource.Token;
        _deadlineTimer = time.CreateTimer(static state => ((ServerCallContext)state!).OnDeadline(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    private void OnDeadline()
    {
        if (Interlocked.Exchange(ref _deadlineExceeded, 1) != 0)
        {
            return;
        }
        try
        {
            // Cancel first: a write blocked on flow control lets go of the lock.
            _deadlineSource?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        _ = EndAsync(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), null, null, completeResponse: true);
    }

    internal async ValueTask WriteMessageAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_completed)
            {
                throw new InvalidOperationException("Cannot write a message: the call has already ended.");
            }
            StartResponse();
            MessageFrame.Write(_http.Response.BodyWriter, message, _responseEncoding, _options.MaxSendMessageSize);
            if (flush)
            {
                await _http.Response.BodyWriter.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void StartResponse()
    {
        if (_responseStarted)
        {
            return;
        }
        _responseStarted = true;
        var headers = _http.Response.Headers;
        if (_responseEncoding is not null)
        {
            headers[GrpcProtocol.EncodingHeader] = _responseEncoding;
        }
        if (_responseHeaders is not null)
        {
            foreach (var entry in _responseHeaders)
            {
                headers.Append(entry.Key, MetadataEncoding.ToHeaderValue(entry));
            }
        }
    }

    /// <summary>
    /// Sends the status: in trailers after a response, or as a Trailers-Only response when
    /// nothing was sent yet. The first call wins; the status actually sent is returned.
    /// </summary>
    internal async ValueTask<StatusCode> EndAsync(Status status, Metadata? trailers, Google.Rpc.Status? details, bool completeResponse)
    {
        await _writeLock.WaitAsync(CancellationToken.None);
        try
        {
            if (_completed)
            {
                return FinalStatus;
            }
            _completed = true;
            FinalStatus = status.StatusCode;
            var response = _http.Response;
            if (response.HasStarted && !_responseStarted)
            {
                _responseStarted = true;
            }
            if (_responseStarted)
            {
                if (_http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is not { IsReadOnly: false } responseTrailers)
                {
                    return FinalStatus;
                }
                WriteStatus(status, trailers, details, responseTrailers);
            }
            else
            {
                // Trailers-Only: one HEADERS frame with END_STREAM carries headers and status.
                StartResponse();
                WriteStatus(status, trailers, details, response.Headers);
            }
            if (completeResponse)
            {
                await response.CompleteAsync();
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
        {
            // The client has gone (reset or aborted stream); there is nobody to tell.
        }
        finally
        {
            _writeLock.Release();
        }
        return FinalStatus;
    }

    internal StatusCode FinalStatus { get; private set; }

    /// <summary>Writes the status and trailing metadata into the trailers, or the headers of a Trailers-Only response.</summary>
    private void WriteStatus(Status status, Metadata? exceptionTrailers, Google.Rpc.Status? details, IHeaderDictionary target)
    {
        target.Append(GrpcProtocol.StatusHeader, StatusCodeStrings.Get(status.StatusCode));
        if (status.Detail.Length > 0)
        {
            target.Append(GrpcProtocol.MessageHeader, PercentEncoding.Encode(status.Detail));
        }
        if (details is not null)
        {
            // The rich status must agree with the plain one.
            details.Code = (int)status.StatusCode;
            details.Message = status.Detail;
            target.Append(GrpcProtocol.StatusDetailsHeader, MetadataEncoding.ToBase64(details.ToByteArray()));
        }
        if (_responseTrailers is not null)
        {
            foreach (var entry in _responseTrailers)
            {
                target.Append(entry.Key, MetadataEncoding.ToHeaderValue(entry));
            }
        }
        if (exceptionTrailers is not null)
        {
            foreach (var entry in exceptionTrailers)
            {
                target.Append(entry.Key, MetadataEncoding.ToHeaderValue(entry));
            }
        }
    }

    private bool ClientAccepts(string encoding)
    {
        foreach (var accepted in _http.Request.Headers[GrpcProtocol.AcceptEncodingHeader].ToString().Split(','))
        {
            if (accepted.Trim() == encoding && MessageCompression.IsSupported(encoding))
            {
                return true;
            }
        }
        return false;
    }

    private Metadata ReadRequestHeaders()
    {
        var metadata = new Metadata();
        foreach (var header in _http.Request.Headers)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key))
            {
                continue;
            }
            foreach (var value in header.Value)
            {
                if (value is null)
                {
                    continue;
                }
                MetadataEncoding.AddFromHeader(metadata, header.Key, value);
            }
        }
        return metadata;
    }

    public void Dispose()
    {
        _deadlineTimer?.Dispose();
        _deadlineSource?.Dispose();
    }
}
