using System.Diagnostics;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf;
using Grpc.Health.V1;
using Grpc.Testing;
using Xunit.Abstractions;
using static Credentials.Grpc.Tests.Support.RawHttp2Connection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Credentials.Grpc.Tests.Server;

/// <summary>
/// Protocol fuzzing below the gRPC layer, with HTTP/2 frames made by hand: random and truncated
/// frames, oversized lengths, header floods, many streams, reset floods. After each, the server
/// still answers health SERVING and a real call, and its memory stays bounded. Seeded, bounded in
/// count; each test prints how many inputs it sent.
/// </summary>
public sealed class Http2FuzzTests(GrpcServerFixture fixture, ITestOutputHelper output) : IClassFixture<GrpcServerFixture>
{
    /// <summary>Generous: the whole test process, with its own allocations, may not grow by more.</summary>
    private const long ManagedGrowthLimit = 256L * 1024 * 1024;
    private const long WorkingSetGrowthLimit = 768L * 1024 * 1024;

    private readonly GrpcTestServer _server = fixture.Server;

    private static readonly byte[] ValidRequest = GrpcFrame.Of(new SimpleRequest { ResponseSize = 3 });

    private byte[] RequestHeaders(int streamId, byte flags = EndHeaders) =>
        Frame(Headers, flags, streamId, HeaderBlock(RawHttp2Connection.RequestHeaders(_server.Address, TestServicePaths.UnaryCall)));

    /// <summary>Runs <paramref name="fuzz"/>, then checks health, a real call and memory; returns nothing, prints the count.</summary>
    private async Task FuzzAsync(string name, Func<Task<long>> fuzz)
    {
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = WorkingSet();

        var inputs = await fuzz();

        using (var call = _server.Channel.UnaryCall<HealthCheckRequest, HealthCheckResponse>("/grpc.health.v1.Health/Check", new HealthCheckRequest()))
        {
            Assert.Equal(ServingStatus.Serving, (await call.ResponseAsync).Status);
        }
        var answer = await _server.Raw.SendAsync(TestServicePaths.UnaryCall, ValidRequest);
        Assert.Equal(StatusCode.OK, answer.GrpcStatus);
        var managedGrowth = GC.GetTotalMemory(forceFullCollection: true) - managedBefore;
        var workingSetGrowth = WorkingSet() - workingSetBefore;
        output.WriteLine($"{name}: {inputs} inputs; managed memory {managedGrowth / 1024} KiB, working set {workingSetGrowth / 1024} KiB more after");
        Assert.True(managedGrowth < ManagedGrowthLimit, $"{name}: managed memory grew by {managedGrowth} bytes");
        Assert.True(workingSetGrowth < WorkingSetGrowthLimit, $"{name}: working set grew by {workingSetGrowth} bytes");
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>Opens <paramref name="connections"/> connections, at most 8 at a time, and runs <paramref name="send"/> on each.</summary>
    private async Task<long> OnConnectionsAsync(int connections, Func<RawHttp2Connection, int, Task<long>> send)
    {
        long inputs = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, connections), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (index, _) =>
        {
            await using var connection = await OpenAsync(_server.Address);
            Interlocked.Add(ref inputs, await send(connection, index));
        });
        return inputs;
    }

    [Fact]
    public Task RandomFrames_ServerStaysServing() => FuzzAsync("random frames", () => OnConnectionsAsync(300, async (connection, index) =>
    {
        var random = new Random(index);
        var frames = random.Next(1, 20);
        for (var i = 0; i < frames; i++)
        {
            var payload = new byte[random.Next(0, random.Next(2) == 0 ? 64 : 4096)];
            random.NextBytes(payload);
            var type = (byte)(random.Next(4) == 0 ? random.Next(256) : random.Next(10));
            var streamId = random.Next(3) switch { 0 => 0, 1 => random.Next(1, 20) | 1, _ => random.Next() };
            var frame = random.Next(10) == 0
                ? FrameWithLength(random.Next(1 << 24), type, (byte)random.Next(256), streamId, payload)
                : Frame(type, (byte)random.Next(256), streamId, payload);
            if (random.Next(8) == 0)
            {
                // Valid request headers now and then, so that random frames also hit open streams.
                await connection.SendAsync(RequestHeaders(streamId | 1));
            }
            if (!await connection.SendAsync(frame))
            {
                return i + 1;
            }
        }
        return frames;
    }));

    [Fact]
    public Task RandomBytes_BeforeAndAfterThePreface_ServerStaysServing() => FuzzAsync("random bytes", async () =>
    {
        long inputs = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (index, _) =>
        {
            var random = new Random(1000 + index);
            await using var connection = await OpenAsync(_server.Address, sendPreface: index % 2 == 0);
            var bytes = new byte[random.Next(1, 8192)];
            random.NextBytes(bytes);
            await connection.SendAsync(bytes);
            Interlocked.Increment(ref inputs);
        });
        return inputs;
    });

    public static TheoryData<string> TruncatedCases => new()
    {
        "frame header cut", "headers payload cut", "data longer than sent", "16 MiB frame length", "4 GiB message prefix",
        "2 GiB message prefix then silence", "message prefix cut", "continuation without headers", "data on stream 0",
        "headers on an even stream", "window update of 0", "window update overflow",
    };

    [Theory]
    [MemberData(nameof(TruncatedCases))]
    public Task TruncatedAndOversized_ServerStaysServing(string name) => FuzzAsync(name, () => OnConnectionsAsync(20, async (connection, _) =>
    {
        byte[] bytes = name switch
        {
            "frame header cut" => RequestHeaders(1)[..5],
            "headers payload cut" => RequestHeaders(1)[..20],
            "data longer than sent" => [.. RequestHeaders(1), .. FrameWithLength(16000, Data, 0, 1, ValidRequest)],
            "16 MiB frame length" => [.. RequestHeaders(1), .. FrameWithLength((1 << 24) - 1, Data, 0, 1, new byte[1000])],
            "4 GiB message prefix" => [.. RequestHeaders(1), .. Frame(Data, EndStream, 1, [.. GrpcFrame.Prefix(0, uint.MaxValue), .. new byte[100]])],
            "2 GiB message prefix then silence" => [.. RequestHeaders(1), .. Frame(Data, 0, 1, [.. GrpcFrame.Prefix(0, int.MaxValue), .. new byte[8000]])],
            "message prefix cut" => [.. RequestHeaders(1), .. Frame(Data, EndStream, 1, [0, 0, 0])],
            "continuation without headers" => Frame(Continuation, EndHeaders, 1, HeaderBlock([("x", "y")])),
            "data on stream 0" => Frame(Data, EndStream, 0, ValidRequest),
            "headers on an even stream" => RequestHeaders(2, EndHeaders | EndStream),
            "window update of 0" => [.. RequestHeaders(1), .. Frame(WindowUpdate, 0, 1, [0, 0, 0, 0])],
            "window update overflow" => [.. Frame(WindowUpdate, 0, 0, [0x7F, 0xFF, 0xFF, 0xFF]), .. Frame(WindowUpdate, 0, 0, [0x7F, 0xFF, 0xFF, 0xFF])],
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        await connection.SendAsync(bytes);
        // Give the server the bytes, then hang up with the frame or stream unfinished.
        await Task.WhenAny(connection.Closed, Task.Delay(50));
        return 1;
    }));

    [Fact]
    public Task HeaderFlood_TenThousandHeaders_ServerStaysServing() => FuzzAsync("10,000 headers", () => OnConnectionsAsync(10, async (connection, _) =>
    {
        var headers = RawHttp2Connection.RequestHeaders(_server.Address, TestServicePaths.UnaryCall);
        headers.AddRange(Enumerable.Range(0, 10_000).Select(i => ($"x-flood-{i}", "v")));
        await SendHeaderBlockAsync(connection, HeaderBlock(headers), endHeaders: true);
        await connection.SendAsync(Frame(Data, EndStream, 1, ValidRequest));
        await Task.WhenAny(connection.Closed, Task.Delay(2000));
        // Refused: the stream gets no answer beyond an error, or the connection goes.
        Assert.True(connection.Closed.IsCompleted || connection.ReceivedCount(RstStream) + connection.ReceivedCount(Headers) > 0);
        return 10_000;
    }));

    [Fact]
    public Task HeaderFlood_OneMegabyteValue_ServerStaysServing() => FuzzAsync("1 MiB header value", () => OnConnectionsAsync(10, async (connection, _) =>
    {
        var headers = RawHttp2Connection.RequestHeaders(_server.Address, TestServicePaths.UnaryCall);
        headers.Add(("x-huge", new string('h', 1024 * 1024)));
        await SendHeaderBlockAsync(connection, HeaderBlock(headers), endHeaders: true);
        await Task.WhenAny(connection.Closed, Task.Delay(2000));
        return 1;
    }));

    [Fact]
    public Task HeaderFlood_EndlessContinuation_ConnectionIsClosed() => FuzzAsync("CONTINUATION flood", () => OnConnectionsAsync(5, async (connection, _) =>
    {
        // HEADERS without END_HEADERS, then CONTINUATION frames that never end it (CVE-2024-27316 style).
        await connection.SendAsync(Frame(Headers, 0, 1, HeaderBlock(RawHttp2Connection.RequestHeaders(_server.Address, TestServicePaths.UnaryCall))));
        var block = HeaderBlock([("x-more", new string('c', 1000))]);
        var sent = 1;
        for (var i = 0; i < 20_000 && await connection.SendAsync(Frame(Continuation, 0, 1, block)); i++)
        {
            sent++;
        }
        await Task.WhenAny(connection.Closed, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(connection.Closed.IsCompleted, "the server kept reading CONTINUATION frames forever");
        return sent;
    }));

    [Fact]
    public Task ManyStreams_FarBeyondTheConcurrencyLimit_AreRefusedAndServerStaysServing() => FuzzAsync("many streams", async () =>
    {
        long refused = 0;
        var inputs = await OnConnectionsAsync(10, async (connection, _) =>
        {
            // 1,000 streams left open (no END_STREAM): more than the server's 100 per connection.
            var batch = new List<byte>();
            for (var stream = 1; stream < 2000; stream += 2)
            {
                batch.AddRange(RequestHeaders(stream));
            }
            await connection.SendAsync(batch.ToArray());
            await Task.WhenAny(connection.Closed, Task.Delay(1000));
            Interlocked.Add(ref refused, connection.ReceivedCount(RstStream) + (connection.Closed.IsCompleted ? 1 : 0));
            return 1000;
        });
        Assert.True(refused > 0, "no stream beyond the limit was refused");
        return inputs;
    });

    [Fact]
    public Task RstFlood_OpenAndResetStreams_ServerStaysServing() => FuzzAsync("RST_STREAM flood", () => OnConnectionsAsync(5, async (connection, _) =>
    {
        // Rapid reset (CVE-2023-44487): every stream opened with a full request and reset at once.
        long sent = 0;
        for (var chunk = 0; chunk < 10; chunk++)
        {
            var batch = new List<byte>();
            for (var i = 0; i < 500; i++)
            {
                var stream = (chunk * 500 + i) * 2 + 1;
                batch.AddRange(RequestHeaders(stream));
                batch.AddRange(Frame(Data, EndStream, stream, ValidRequest));
                batch.AddRange(Frame(RstStream, 0, stream, [0, 0, 0, 8]));
            }
            if (!await connection.SendAsync(batch.ToArray()))
            {
                break;
            }
            sent += 500;
        }
        await Task.WhenAny(connection.Closed, Task.Delay(500));
        return sent;
    }));

    [Fact]
    public Task ControlFrameFlood_PingsAndSettings_ServerStaysServing() => FuzzAsync("PING and SETTINGS flood", () => OnConnectionsAsync(5, async (connection, _) =>
    {
        var batch = new List<byte>();
        for (var i = 0; i < 5000; i++)
        {
            batch.AddRange(Frame(Ping, 0, 0, new byte[8]));
            batch.AddRange(Frame(Settings, 0, 0, [0, 3, 0, 0, 0, 100]));
        }
        await connection.SendAsync(batch.ToArray());
        await Task.WhenAny(connection.Closed, Task.Delay(1000));
        return 10_000;
    }));

    /// <summary>Sends a header block as HEADERS plus CONTINUATION frames of at most 16 KiB.</summary>
    private static async Task SendHeaderBlockAsync(RawHttp2Connection connection, byte[] block, bool endHeaders)
    {
        const int max = 16 * 1024;
        var first = true;
        for (var offset = 0; offset < block.Length || first; offset += max)
        {
            var chunk = block.AsSpan(offset, Math.Min(max, block.Length - offset)).ToArray();
            var last = offset + max >= block.Length;
            var flags = (byte)(last && endHeaders ? EndHeaders : 0);
            if (!await connection.SendAsync(Frame(first ? Headers : Continuation, flags, 1, chunk)))
            {
                return;
            }
            first = false;
        }
    }
}
