using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Credentials.Grpc.Protocol;
using Google.Protobuf;

namespace Credentials.Grpc.Tests.Support;

/// <summary>A whole HTTP/2 response as received: status, headers, body bytes, trailers.</summary>
public sealed class RawGrpcResponse
{
    private RawGrpcResponse(HttpStatusCode httpStatus, Dictionary<string, string[]> headers, byte[] body, Dictionary<string, string[]> trailers)
    {
        HttpStatus = httpStatus;
        Headers = headers;
        Body = body;
        Trailers = trailers;
    }

    public HttpStatusCode HttpStatus { get; }

    /// <summary>Response and content headers, by lowercase name.</summary>
    public IReadOnlyDictionary<string, string[]> Headers { get; }

    public byte[] Body { get; }

    public IReadOnlyDictionary<string, string[]> Trailers { get; }

    /// <summary>The status from the trailers, or from the headers of a Trailers-Only response.</summary>
    public StatusCode? GrpcStatus =>
        (Trailer(GrpcProtocol.StatusHeader) ?? Header(GrpcProtocol.StatusHeader)) is { } code
            ? (StatusCode)int.Parse(code, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;

    /// <summary>The status message, percent-decoded.</summary>
    public string GrpcMessage =>
        PercentEncoding.Decode(Trailer(GrpcProtocol.MessageHeader) ?? Header(GrpcProtocol.MessageHeader) ?? "");

    /// <summary>Status in the headers, no body, no trailers: one HEADERS frame that ends the stream.</summary>
    public bool IsTrailersOnly => Header(GrpcProtocol.StatusHeader) is not null && Body.Length == 0 && Trailers.Count == 0;

    /// <summary>Everything received as text (Latin-1), to search for what must not leak.</summary>
    public string AllText =>
        string.Join('\n', Headers.Concat(Trailers).Select(h => $"{h.Key}: {string.Join(',', h.Value)}"))
        + '\n' + Encoding.Latin1.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var values) ? values[0] : null;

    public string? Trailer(string name) => Trailers.TryGetValue(name, out var values) ? values[0] : null;

    /// <summary>The length-prefixed messages of the body.</summary>
    public IReadOnlyList<(bool Compressed, byte[] Payload)> Frames()
    {
        var frames = new List<(bool, byte[])>();
        var rest = Body.AsSpan();
        while (rest.Length > 0)
        {
            Assert.True(rest.Length >= GrpcProtocol.MessagePrefixSize, "The body ends inside a message prefix.");
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(rest[1..]);
            frames.Add((rest[0] == 1, rest.Slice(GrpcProtocol.MessagePrefixSize, length).ToArray()));
            rest = rest[(GrpcProtocol.MessagePrefixSize + length)..];
        }
        return frames;
    }

    /// <summary>The body's messages, parsed (uncompressed ones only).</summary>
    public IReadOnlyList<T> Messages<T>(MessageParser<T> parser) where T : IMessage<T> =>
        Frames().Select(f => parser.ParseFrom(f.Payload)).ToList();

    internal static RawGrpcResponse From(HttpResponseMessage response, byte[] body) =>
        new(response.StatusCode, ToDictionary(response.Headers.Concat(response.Content.Headers)), body, ToDictionary(response.TrailingHeaders));

    private static Dictionary<string, string[]> ToDictionary(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers) =>
        headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToArray());

    public override string ToString() => $"HTTP {(int)HttpStatus}, grpc-status {GrpcStatus}, {Body.Length} body bytes\n{AllText}";
}
