using System.Collections.Frozen;
using Credentials.Grpc.Protocol;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Credentials.Grpc.Server;

/// <summary>A protobuf service to serve, and the type that implements it (resolved from DI).</summary>
public sealed record GrpcServiceRegistration(ServiceDescriptor Descriptor, Type ImplementationType);

/// <summary>
/// Routes HTTP/2 requests to bound methods and runs each call: protocol checks, filters, the
/// handler, and the status in trailers (or Trailers-Only when nothing was sent).
/// </summary>
public sealed class GrpcServer
{
    private readonly FrozenDictionary<string, ServerMethod> _methods;
    private readonly IServerCallFilter[] _filters;
    private readonly GrpcServerOptions _options;
    private readonly ILogger<GrpcServer> _logger;

    public GrpcServer(
        IServiceProvider services,
        IEnumerable<GrpcServiceRegistration> registrations,
        IEnumerable<IServerCallFilter> filters,
        GrpcServerOptions options,
        ILogger<GrpcServer> logger)
    {
        _options = options;
        _logger = logger;
        _filters = filters.ToArray();
        var methods = new Dictionary<string, ServerMethod>(StringComparer.Ordinal);
        var descriptors = new List<ServiceDescriptor>();
        foreach (var registration in registrations)
        {
            if (descriptors.Any(d => d.FullName == registration.Descriptor.FullName))
            {
                throw new InvalidOperationException($"Service {registration.Descriptor.FullName} is registered twice.");
            }
            descriptors.Add(registration.Descriptor);
            var implementation = services.GetRequiredService(registration.ImplementationType);
            foreach (var method in ServiceBinder.Bind(registration.Descriptor, implementation))
            {
                methods.Add(method.Path, method);
            }
        }
        _methods = methods.ToFrozenDictionary(StringComparer.Ordinal);
        Services = descriptors;
    }

    /// <summary>The services served, in registration order.</summary>
    public IReadOnlyList<ServiceDescriptor> Services { get; }

    /// <summary>Every routed method, for statistics.</summary>
    public IEnumerable<ServerMethod> Methods => _methods.Values;

    public Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        if (!GrpcProtocol.IsGrpcProtoContentType(request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return Task.CompletedTask;
        }
        if (!HttpMethods.IsPost(request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }
        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            // gRPC needs HTTP/2 trailers; tell an HTTP/1.1 client to upgrade.
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            http.Response.Headers.Upgrade = "h2";
            return Task.CompletedTask;
        }
        if (!_methods.TryGetValue(request.Path.Value ?? "", out var method))
        {
            WriteTrailersOnly(http, StatusCode.Unimplemented, $"Method not found: {request.Path.Value}");
            return Task.CompletedTask;
        }
        return HandleCallAsync(http, method);
    }

    private async Task HandleCallAsync(HttpContext http, ServerMethod method)
    {
        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = MessageCompression.AcceptEncoding;
        using var call = new ServerCallContext(http, method, _options);
        ServerCallContext.Current = call;
        Status status;
        Metadata? trailers = null;
        Google.Rpc.Status? details = null;
        try
        {
            call.Start();
            foreach (var filter in _filters)
            {
                await filter.OnCallStartingAsync(call);
            }
            await method.InvokeAsync(call);
            status = call.Status;
        }
        catch (Exception) when (call.IsDeadlineExceeded)
        {
            status = new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        catch (UnparsableMessageException e) when (_options.ExceptionMapper?.Invoke(e) is { } mapped)
        {
            status = mapped.Status;
            trailers = mapped.Trailers;
            details = mapped.Details;
        }
        catch (RpcException e)
        {
            status = e.Status;
            trailers = e.Trailers;
            details = e.Details;
            if (status.StatusCode is StatusCode.Internal or StatusCode.Unknown)
            {
                _logger.LogWarning("{Method} failed: {Status}", method.Path, status);
            }
        }
        catch (Exception e) when ((e is OperationCanceledException or IOException) && http.RequestAborted.IsCancellationRequested)
        {
            status = new Status(StatusCode.Cancelled, "Call cancelled by the client.");
        }
        catch (Exception e) when (_options.ExceptionMapper?.Invoke(e) is { } mapped)
        {
            status = mapped.Status;
            trailers = mapped.Trailers;
            details = mapped.Details;
        }
        catch (Exception e)
        {
            // Exception text may hold anything, personal data included: log it, never send it.
            _logger.LogError(e, "{Method} threw an unexpected exception", method.Path);
            status = new Status(StatusCode.Unknown, "Exception was thrown by handler.");
        }
        var sent = await call.EndAsync(status, trailers, details, completeResponse: false);
        method.Count(sent);
    }

    private static void WriteTrailersOnly(HttpContext http, StatusCode code, string message)
    {
        var response = http.Response;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.StatusHeader] = StatusCodeStrings.Get(code);
        response.Headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(message);
    }
}
