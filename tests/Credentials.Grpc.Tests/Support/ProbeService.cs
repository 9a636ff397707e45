using Credentials.Grpc.Server;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Grpc.Tests.Support;

/// <summary>
/// credentials.grpc.tests.Probe: each handler runs the delegate a test set, echoing by default.
/// Tests of one class share a server and run one at a time, so a test sets the handler it needs.
/// </summary>
public sealed class ProbeService
{
    public Func<StringValue, ServerCallContext, Task<StringValue>> OnUnary { get; set; } = Echo;

    public Func<StringValue, IServerStreamWriter<StringValue>, ServerCallContext, Task> OnServerStreaming { get; set; } = EchoOnce;

    /// <summary>The path of a Probe method, for calls.</summary>
    public static string PathOf(string method) => $"/credentials.grpc.tests.Probe/{method}";

    public Task<StringValue> Unary(StringValue request, ServerCallContext context) => OnUnary(request, context);

    public Task ServerStreaming(StringValue request, IServerStreamWriter<StringValue> responseStream, ServerCallContext context) =>
        OnServerStreaming(request, responseStream, context);

    /// <summary>A unary handler that signals its start, then waits for its token and signals that.</summary>
    public (TaskCompletionSource Started, TaskCompletionSource Cancelled) HangUnaryUntilCancelled()
    {
        var started = Signal.Create();
        var cancelled = Signal.Create();
        OnUnary = async (request, context) =>
        {
            started.SetResult();
            await Signal.WaitForCancellationAsync(context.CancellationToken, cancelled);
            return request;
        };
        return (started, cancelled);
    }

    /// <summary>Back to the echoing handlers.</summary>
    public void Reset()
    {
        OnUnary = Echo;
        OnServerStreaming = EchoOnce;
    }

    private static Task<StringValue> Echo(StringValue request, ServerCallContext context) => Task.FromResult(request);

    private static Task EchoOnce(StringValue request, IServerStreamWriter<StringValue> responseStream, ServerCallContext context) =>
        responseStream.WriteAsync(request, context.CancellationToken);
}
