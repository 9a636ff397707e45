using System.Globalization;
using Grpc.Core;

namespace Credentials.Server.Errors;

/// <summary>
/// Refuses a gRPC call before it reaches its service (a bad request id, a bad token, a refused
/// policy) with a Trailers-Only response: HTTP 200, the status in the headers, no body. That is
/// how gRPC ends a call that sent nothing, so every client reads the status and its message, where
/// an HTTP 401/403 would only be "Bad gRPC response".
/// </summary>
public static class TrailersOnly
{
    public static Task WriteAsync(HttpContext http, RpcException error)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)error.StatusCode).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(error.Status.Detail);
        if (error.Trailers.Get("grpc-status-details-bin") is { IsBinary: true } details)
        {
            // Binary headers are unpadded base64 (gRPC over HTTP/2, "Binary-Header").
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(details.ValueBytes).TrimEnd('=');
        }
        return Task.CompletedTask;
    }

    /// <summary>A Trailers-Only refusal with <paramref name="code"/> and <paramref name="message"/>.</summary>
    public static Task WriteAsync(HttpContext http, StatusCode code, string message) =>
        WriteAsync(http, new RpcException(new Status(code, message)));

    /// <summary>Whether the request is a gRPC call (refusals of anything else stay plain HTTP).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}
