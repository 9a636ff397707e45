using Credentials.Grpc.Client;
using Credentials.Grpc.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Credentials.Grpc.Tests.Reflection;

/// <summary>
/// grpc.reflection v1 and v1alpha over HTTP/2. Every file answer must be closed under
/// dependencies, google/protobuf files included, so a tool can build descriptors from it alone.
/// </summary>
public sealed class ReflectionServiceTests(GrpcServerFixture fixture) : IClassFixture<GrpcServerFixture>
{
    private const string V1Path = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
    private const string V1AlphaPath = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

    private readonly GrpcTestServer _server = fixture.Server;

    public static TheoryData<bool> Versions => new() { false, true };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task ListServices_EveryServedService(bool v1Alpha)
    {
        var response = await AskAsync(new ServerReflectionRequest { ListServices = "" }, v1Alpha);

        Assert.Equal(
            ["credentials.grpc.tests.Probe", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
             "grpc.reflection.v1alpha.ServerReflection", "grpc.testing.TestService"],
            response.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task FileByFilename_ServedFile_FileFirstWithItsDependencies(bool v1Alpha)
    {
        var response = await AskAsync(new ServerReflectionRequest { FileByFilename = "grpc/testing/test.proto" }, v1Alpha);

        var files = Files(response);
        Assert.Equal("grpc/testing/test.proto", files[0].Name);
        Assert.Equal(["grpc/testing/empty.proto", "grpc/testing/messages.proto", "grpc/testing/test.proto"], files.Select(f => f.Name).Order(StringComparer.Ordinal));
        AssertBuildsAlone(files);
    }

    [Theory]
    [InlineData("credentials.grpc.tests.Probe", "Protos/probe.proto", false)]
    [InlineData("credentials.grpc.tests.Probe.Unary", "Protos/probe.proto", true)]
    [InlineData("google.protobuf.StringValue", "google/protobuf/wrappers.proto", false)]
    [InlineData("grpc.testing.TestService", "grpc/testing/test.proto", true)]
    [InlineData("grpc.testing.TestService.FullDuplexCall", "grpc/testing/test.proto", false)]
    [InlineData("grpc.testing.SimpleRequest", "grpc/testing/messages.proto", true)]
    [InlineData(".grpc.testing.SimpleRequest", "grpc/testing/messages.proto", false)]
    [InlineData("grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto", true)]
    public async Task FileContainingSymbol_ServiceMethodOrMessage_FileAndItsClosure(string symbol, string file, bool v1Alpha)
    {
        var response = await AskAsync(new ServerReflectionRequest { FileContainingSymbol = symbol }, v1Alpha);

        var files = Files(response);
        Assert.Equal(file, files[0].Name);
        AssertBuildsAlone(files);
    }

    [Fact]
    public async Task FileContainingSymbol_ServiceImportingAWellKnownType_IncludesTheGoogleProtobufFile()
    {
        var response = await AskAsync(new ServerReflectionRequest { FileContainingSymbol = "credentials.grpc.tests.Probe" }, v1Alpha: false);

        Assert.Contains("google/protobuf/wrappers.proto", Files(response).Select(f => f.Name));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FileContainingSymbol_ReflectionServiceItself_ClosureWithDescriptorProto(bool v1Alpha)
    {
        var response = await AskAsync(new ServerReflectionRequest { FileContainingSymbol = "grpc.health.v1.Health" }, v1Alpha);

        AssertBuildsAlone(Files(response));
    }

    [Theory]
    [InlineData("no.such.Symbol", false)]
    [InlineData("grpc.testing.TestService.NoSuchMethod", true)]
    [InlineData("", false)]
    public async Task FileContainingSymbol_Unknown_ErrorResponseNotFound(string symbol, bool v1Alpha)
    {
        var response = await AskAsync(new ServerReflectionRequest { FileContainingSymbol = symbol }, v1Alpha);

        Assert.Equal((int)StatusCode.NotFound, response.ErrorResponse.ErrorCode);
        Assert.Equal(symbol, response.OriginalRequest.FileContainingSymbol);
    }

    [Fact]
    public async Task FileByFilename_Unknown_ErrorResponseNotFound()
    {
        var response = await AskAsync(new ServerReflectionRequest { FileByFilename = "no/such.proto" }, v1Alpha: false);

        Assert.Equal((int)StatusCode.NotFound, response.ErrorResponse.ErrorCode);
    }

    [Fact]
    public async Task ServerReflectionInfo_SeveralRequestsOnOneStream_AnswersEachInOrder()
    {
        using var call = _server.Channel.DuplexStreamingCall<ServerReflectionRequest, ServerReflectionResponse>(V1Path);
        string[] symbols = ["grpc.testing.TestService", "no.such.Symbol", "grpc.health.v1.Health"];

        var answers = new List<ServerReflectionResponse.MessageResponseOneofCase>();
        foreach (var symbol in symbols)
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = symbol });
            Assert.True(await call.ResponseStream.MoveNext());
            answers.Add(call.ResponseStream.Current.MessageResponseCase);
        }
        await call.RequestStream.CompleteAsync();

        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(
            [ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse,
             ServerReflectionResponse.MessageResponseOneofCase.ErrorResponse,
             ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse],
            answers);
    }

    /// <summary>One request on its own stream; v1alpha requests and answers travel as their v1 twins' bytes.</summary>
    private async Task<ServerReflectionResponse> AskAsync(ServerReflectionRequest request, bool v1Alpha)
    {
        if (v1Alpha)
        {
            var alpha = await AskOnceAsync<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse>(
                _server.Channel, V1AlphaPath, V1Alpha.ServerReflectionRequest.Parser.ParseFrom(request.ToByteString()));
            return ServerReflectionResponse.Parser.ParseFrom(alpha.ToByteString());
        }
        return await AskOnceAsync<ServerReflectionRequest, ServerReflectionResponse>(_server.Channel, V1Path, request);
    }

    private static async Task<TResponse> AskOnceAsync<TRequest, TResponse>(GrpcChannel channel, string path, TRequest request)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        using var call = channel.DuplexStreamingCall<TRequest, TResponse>(path);
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());
        var response = call.ResponseStream.Current;
        Assert.False(await call.ResponseStream.MoveNext());
        return response;
    }

    private static List<FileDescriptorProto> Files(ServerReflectionResponse response)
    {
        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, response.MessageResponseCase);
        return response.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
    }

    /// <summary>Every dependency is in the answer, once; and the files build into descriptors with nothing else.</summary>
    private static void AssertBuildsAlone(List<FileDescriptorProto> files)
    {
        var names = files.Select(f => f.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var file in files)
        {
            Assert.All(file.Dependency, dependency => Assert.Contains(dependency, names));
        }

        // Dependencies first, as BuildFromByteStrings needs them.
        var ordered = new List<FileDescriptorProto>();
        var pending = new List<FileDescriptorProto>(files);
        while (pending.Count > 0)
        {
            var ready = pending.First(f => f.Dependency.All(d => ordered.Any(o => o.Name == d)));
            ordered.Add(ready);
            pending.Remove(ready);
        }
        var built = FileDescriptor.BuildFromByteStrings(ordered.Select(f => f.ToByteString()));
        Assert.Equal(files.Count, built.Count);
    }
}
