using Grpc.Core;

namespace Credentials.Bench.BareServer;

/// <summary>Answers every Ping with the same reply, and counts the calls it answered (read at shutdown by bench/transport.sh).</summary>
public sealed class BareService : Bare.BareBase
{
    private static readonly Task<PingResponse> Pong = Task.FromResult(new PingResponse { Message = "pong" });
    private static long _answered;

    /// <summary>Calls answered: the handler has no failure path, so each one ended with grpc-status OK.</summary>
    public static long Answered => Interlocked.Read(ref _answered);

    public override Task<PingResponse> Ping(PingRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _answered);
        return Pong;
    }
}
