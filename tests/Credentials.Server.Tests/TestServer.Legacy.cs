using Credentials.Grpc;
using Credentials.Grpc.Client;
using Google.Protobuf;

namespace Credentials.Server.Tests;

// The call API of the home-made client, while the tests move onto the generated clients; removed when the last one has.
public sealed partial class TestServer
{
    private GrpcChannel? _legacyChannel;

    private GrpcChannel LegacyChannel => _legacyChannel ??= GrpcChannel.ForAddress(Address);

    /// <summary>Calls a credentials.v1 method ("CommitteeService/GetCommittee") with an optional token.</summary>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request, string? token, Metadata? headers = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        (await CallWithHeadersAsync<TRequest, TResponse>(method, request, token, headers)).Response;

    /// <summary>As <see cref="CallAsync"/>, also returning the response headers.</summary>
    public async Task<(TResponse Response, Metadata Headers)> CallWithHeadersAsync<TRequest, TResponse>(string method, TRequest request, string? token,
        Metadata? headers = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        headers ??= [];
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }
        using var call = LegacyChannel.UnaryCall<TRequest, TResponse>("/credentials.v1." + method, request, new CallOptions(headers));
        var response = await call.ResponseAsync;
        return (response, await call.ResponseHeadersAsync);
    }

    /// <summary>Opens a bidirectional call to a credentials.v1 method ("VerificationService/VerifyStream") with an optional token.</summary>
    public AsyncDuplexStreamingCall<TRequest, TResponse> Duplex<TRequest, TResponse>(string method, string? token)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }
        return LegacyChannel.DuplexStreamingCall<TRequest, TResponse>("/credentials.v1." + method, new CallOptions(headers));
    }

    /// <summary>Calls a server-streaming credentials.v1 method and reads the whole response stream.</summary>
    public async Task<List<TResponse>> StreamAsync<TRequest, TResponse>(string method, TRequest request, string? token, CancellationToken cancellationToken = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        Metadata headers = [];
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }
        using var call = LegacyChannel.ServerStreamingCall<TRequest, TResponse>("/credentials.v1." + method, request, new CallOptions(headers, CancellationToken: cancellationToken));
        var responses = new List<TResponse>();
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            responses.Add(call.ResponseStream.Current);
        }
        return responses;
    }

    /// <summary>A channel to the server, for clients under test that make their own calls.</summary>
    public GrpcChannel LegacyChannelForTests => LegacyChannel;

    /// <summary>
    /// A call with raw header values our client would refuse to send (any text, sent as UTF-8
    /// bytes) and an empty request message; returns the gRPC status and its BadRequest, if any.
    /// </summary>
    public async Task<(Grpc.StatusCode Status, Google.Rpc.BadRequest? BadRequest)> RawCallAsync(string method, params (string Name, string Value)[] headers)
    {
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, "/credentials.v1." + method))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var all = response.Headers.Concat(response.TrailingHeaders).ToDictionary(h => h.Key, h => h.Value.First(), StringComparer.OrdinalIgnoreCase);
        var status = all.TryGetValue("grpc-status", out var code) ? (Grpc.StatusCode)int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) : Grpc.StatusCode.Unknown;
        Google.Rpc.BadRequest? badRequest = null;
        if (all.TryGetValue("grpc-status-details-bin", out var details))
        {
            var rich = Google.Rpc.Status.Parser.ParseFrom(Grpc.Protocol.MetadataEncoding.FromBase64(details));
            badRequest = rich.Details.FirstOrDefault(d => d.Is(Google.Rpc.BadRequest.Descriptor))?.Unpack<Google.Rpc.BadRequest>();
        }
        return (status, badRequest);
    }

    private void DisposeLegacy() => _legacyChannel?.Dispose();
}
