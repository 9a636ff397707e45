using Credentials.Grpc.Protocol;
using Credentials.Grpc.Server;
using Google.Protobuf;
using Grpc.Testing;

namespace Credentials.Grpc.Interop;

/// <summary>
/// grpc.testing.TestService as grpc/grpc doc/interop-test-descriptions.md describes the server:
/// payloads of zeros of the asked sizes, echoed metadata, requested statuses.
/// UnimplementedCall is left out on purpose: it must answer UNIMPLEMENTED.
/// </summary>
public sealed class TestServiceImpl
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";

    public Task<Empty> EmptyCall(Empty request, ServerCallContext context)
    {
        EchoMetadata(context);
        return Task.FromResult(new Empty());
    }

    public Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        EchoMetadata(context);
        ThrowRequestedStatus(request.ResponseStatus);
        CheckCompression(request.ExpectCompressed, context);
        if (request.ResponseCompressed?.Value == true)
        {
            context.ResponseEncoding = MessageCompression.Gzip;
        }
        return Task.FromResult(new SimpleResponse { Payload = Zeros(request.ResponseSize) });
    }

    public Task<SimpleResponse> CacheableUnaryCall(SimpleRequest request, ServerCallContext context) =>
        UnaryCall(request, context);

    public async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        EchoMetadata(context);
        foreach (var parameters in request.ResponseParameters)
        {
            await WriteAsync(parameters, responseStream, context);
        }
        ThrowRequestedStatus(request.ResponseStatus);
    }

    public async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
    {
        EchoMetadata(context);
        var total = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            CheckCompression(request.ExpectCompressed, context);
            total += request.Payload?.Body.Length ?? 0;
        }
        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    public async Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        EchoMetadata(context);
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            ThrowRequestedStatus(request.ResponseStatus);
            foreach (var parameters in request.ResponseParameters)
            {
                await WriteAsync(parameters, responseStream, context);
            }
        }
    }

    public async Task HalfDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        EchoMetadata(context);
        var requests = new List<StreamingOutputCallRequest>();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            requests.Add(request);
        }
        foreach (var parameters in requests.SelectMany(r => r.ResponseParameters))
        {
            await WriteAsync(parameters, responseStream, context);
        }
    }

    private static async Task WriteAsync(ResponseParameters parameters, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        if (parameters.IntervalUs > 0)
        {
            await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken);
        }
        await responseStream.WriteAsync(new StreamingOutputCallResponse { Payload = Zeros(parameters.Size) }, context.CancellationToken);
    }

    private static Payload Zeros(int size) =>
        new() { Type = PayloadType.Compressable, Body = ByteString.CopyFrom(new byte[size]) };

    private static void EchoMetadata(ServerCallContext context)
    {
        if (context.RequestHeaders.Get(EchoInitialKey) is { } initial)
        {
            context.ResponseHeaders.Add(initial);
        }
        if (context.RequestHeaders.Get(EchoTrailingKey) is { } trailing)
        {
            context.ResponseTrailers.Add(trailing);
        }
    }

    private static void ThrowRequestedStatus(EchoStatus? status)
    {
        if (status is { Code: not 0 })
        {
            throw new RpcException((StatusCode)status.Code, status.Message);
        }
    }

    private static void CheckCompression(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed?.Value == true && context.RequestEncoding is null)
        {
            throw new RpcException(StatusCode.InvalidArgument, "Expected a compressed request message.");
        }
    }
}
