using Credentials.Grpc.Server;
using Google.Protobuf;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Credentials.Grpc.Reflection;

/// <summary>grpc.reflection.v1.ServerReflection: lets grpcurl, Postman or Kreya call every method without .proto files.</summary>
public sealed class ReflectionServiceV1(IEnumerable<GrpcServiceRegistration> services)
{
    private readonly ReflectionIndex _index = new(services.Select(s => s.Descriptor));

    public async Task ServerReflectionInfo(
        IAsyncStreamReader<V1.ServerReflectionRequest> requestStream,
        IServerStreamWriter<V1.ServerReflectionResponse> responseStream,
        ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            await responseStream.WriteAsync(_index.Answer(requestStream.Current), context.CancellationToken);
        }
    }
}

/// <summary>
/// grpc.reflection.v1alpha.ServerReflection, which older tools still ask for. Its messages are
/// the v1 messages under another package, field for field, so they convert through their bytes.
/// </summary>
public sealed class ReflectionServiceV1Alpha(IEnumerable<GrpcServiceRegistration> services)
{
    private readonly ReflectionIndex _index = new(services.Select(s => s.Descriptor));

    public async Task ServerReflectionInfo(
        IAsyncStreamReader<V1Alpha.ServerReflectionRequest> requestStream,
        IServerStreamWriter<V1Alpha.ServerReflectionResponse> responseStream,
        ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var request = V1.ServerReflectionRequest.Parser.ParseFrom(requestStream.Current.ToByteString());
            var answer = _index.Answer(request);
            await responseStream.WriteAsync(V1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken);
        }
    }
}
