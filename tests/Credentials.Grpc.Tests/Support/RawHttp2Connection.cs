using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Credentials.Grpc.Tests.Support;

/// <summary>
/// HTTP/2 spoken by hand over a TCP socket (h2c prior knowledge): the preface and any frames,
/// well-formed or not, for protocol fuzzing. A background reader acknowledges the server's
/// SETTINGS, counts the frames it sends by type, and notes GOAWAY and the end of the connection.
/// </summary>
public sealed class RawHttp2Connection : IAsyncDisposable
{
    public const byte Data = 0x0, Headers = 0x1, Priority = 0x2, RstStream = 0x3, Settings = 0x4, PushPromise = 0x5,
        Ping = 0x6, GoAway = 0x7, WindowUpdate = 0x8, Continuation = 0x9;

    public const byte EndStream = 0x1, EndHeaders = 0x4, Ack = 0x1;

    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly long[] _received = new long[256];
    private readonly Task _reader;

    private RawHttp2Connection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Completes when the server has closed the connection (or it broke).</summary>
    public Task Closed => _reader;

    /// <summary>How many frames of <paramref name="type"/> the server has sent.</summary>
    public long ReceivedCount(byte type) => Interlocked.Read(ref _received[type]);

    public static async Task<RawHttp2Connection> OpenAsync(Uri address, bool sendPreface = true)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(address.Host, address.Port);
        var connection = new RawHttp2Connection(client);
        if (sendPreface)
        {
            await connection.SendAsync((byte[])[.. Preface, .. Frame(Settings, 0, 0, [])]);
        }
        return connection;
    }

    /// <summary>Sends bytes as they are; false once the server has closed the connection.</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _stream.WriteAsync(bytes);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A frame: 24-bit length, type, flags, 31-bit stream id, payload.</summary>
    public static byte[] Frame(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload) =>
        FrameWithLength(payload.Length, type, flags, streamId, payload);

    /// <summary>A frame whose header declares <paramref name="declaredLength"/>, whatever the payload.</summary>
    public static byte[] FrameWithLength(int declaredLength, byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(declaredLength >> 16);
        frame[1] = (byte)(declaredLength >> 8);
        frame[2] = (byte)declaredLength;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId & int.MaxValue);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    /// <summary>An HPACK header block of literals without indexing or Huffman coding (RFC 7541 6.2.2).</summary>
    public static byte[] HeaderBlock(IEnumerable<(string Name, string Value)> headers)
    {
        var block = new List<byte>();
        foreach (var (name, value) in headers)
        {
            block.Add(0x00);
            AppendString(block, name);
            AppendString(block, value);
        }
        return [.. block];
    }

    /// <summary>The headers of a gRPC POST to <paramref name="path"/>.</summary>
    public static List<(string, string)> RequestHeaders(Uri address, string path) =>
    [
        (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", $"{address.Host}:{address.Port}"),
        ("content-type", "application/grpc"), ("te", "trailers"),
    ];

    private static void AppendString(List<byte> block, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        AppendInteger(block, bytes.Length, 7, 0x00);
        block.AddRange(bytes);
    }

    private static void AppendInteger(List<byte> block, int value, int prefixBits, byte flags)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            block.Add((byte)(flags | value));
            return;
        }
        block.Add((byte)(flags | max));
        value -= max;
        while (value >= 128)
        {
            block.Add((byte)(value % 128 + 128));
            value /= 128;
        }
        block.Add((byte)value);
    }

    private async Task ReadLoopAsync()
    {
        var header = new byte[9];
        var payload = new byte[1 << 14];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(header);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                if (length > payload.Length)
                {
                    payload = new byte[length];
                }
                await _stream.ReadExactlyAsync(payload.AsMemory(0, length));
                Interlocked.Increment(ref _received[header[3]]);
                if (header[3] == Settings && (header[4] & Ack) == 0)
                {
                    await SendAsync(Frame(Settings, Ack, 0, []));
                }
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or SocketException or ObjectDisposedException)
        {
            // The connection is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _reader;
        _writeLock.Dispose();
    }
}
