using System.Net;
using Credentials.Grpc.Protocol;

namespace Credentials.Grpc.Tests.Support;

/// <summary>
/// Hand-made gRPC requests over HTTP/2 (h2c prior knowledge for http://), for input our own
/// client would never send. Returns the whole response: headers, body bytes and trailers.
/// </summary>
public sealed class RawGrpcClient(Uri address) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

    /// <summary>A request with <paramref name="body"/> (null: no body) and extra headers.</summary>
    public Task<RawGrpcResponse> SendAsync(
        string path,
        byte[]? body,
        string? contentType = GrpcProtocol.ContentType,
        params (string Name, string Value)[] headers) =>
        SendAsync(path, new ByteArrayContent(body ?? []), contentType, headers);

    public async Task<RawGrpcResponse> SendAsync(
        string path,
        HttpContent body,
        string? contentType = GrpcProtocol.ContentType,
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body,
        };
        if (contentType is not null)
        {
            body.Headers.TryAddWithoutValidation("content-type", contentType);
        }
        request.Headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TeTrailers);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return RawGrpcResponse.From(response, bytes);
    }

    public void Dispose() => _client.Dispose();
}
