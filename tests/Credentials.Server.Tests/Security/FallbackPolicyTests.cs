using Credentials.Core.Principals;
using Credentials.Server.Hosting;
using Credentials.Testing;
using Credentials.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Security;

/// <summary>
/// The real host with one more service, bound by hand: a method that states no access rule is
/// refused to everyone, authority included, with a gRPC status (the fallback policy); an exception
/// the error mapping does not know reaches the caller as UNKNOWN without its text.
/// </summary>
public sealed class FallbackPolicyTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;
    private string _authority = "";

    public async Task InitializeAsync()
    {
        _app = ServerHost.Build(["--urls", "http://127.0.0.1:0", "--data-dir", _directory.Path]);
        _app.MapGrpcService<UnattributedService>();
        var console = new StringWriter();
        await Startup.InitializeAsync(_app.Services, console);
        await _app.StartAsync();
        _authority = console.ToString().Split(' ', '\n').Single(AccessToken.IsWellFormed);
        _channel = GrpcChannel.ForAddress(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory.Dispose();
    }

    private Task<PingResponse> CallAsync(Method<PingRequest, PingResponse> method, string? token) =>
        _channel.CreateCallInvoker().AsyncUnaryCall(method, null,
            new CallOptions(token is null ? null : new Metadata { { "authorization", "Bearer " + token } }), new PingRequest()).ResponseAsync;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MethodWithoutAccessRule_AnyCaller_IsPermissionDenied(bool withAuthorityToken)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(UnattributedServiceBase.Unattributed, withAuthorityToken ? _authority : null));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("This method has no access rule.", error.Status.Detail);
    }

    [Fact]
    public async Task MethodWithAllowAnonymous_OnTheSameService_IsServed()
    {
        var response = await CallAsync(UnattributedServiceBase.Open, null);

        Assert.Equal("open", response.Message);
    }

    [Fact]
    public async Task UnexpectedException_IsUnknownWithoutItsText()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(UnattributedServiceBase.Failing, null));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.DoesNotContain(UnattributedService.Secret, error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("Exception was thrown by handler.", error.Status.Detail);
    }

    /// <summary>A service base bound by hand, the way Grpc.Tools generates one.</summary>
    [BindServiceMethod(typeof(UnattributedServiceBase), nameof(BindService))]
    public abstract class UnattributedServiceBase
    {
        private const string Name = "credentials.test.UnattributedService";

        private static readonly Marshaller<PingRequest> Request = Marshallers.Create(r => r.ToByteArray(), PingRequest.Parser.ParseFrom);
        private static readonly Marshaller<PingResponse> Response = Marshallers.Create(r => r.ToByteArray(), PingResponse.Parser.ParseFrom);

        public static readonly Method<PingRequest, PingResponse> Unattributed = new(MethodType.Unary, Name, nameof(Forgotten), Request, Response);
        public static readonly Method<PingRequest, PingResponse> Open = new(MethodType.Unary, Name, nameof(Public), Request, Response);
        public static readonly Method<PingRequest, PingResponse> Failing = new(MethodType.Unary, Name, nameof(Fails), Request, Response);

        public abstract Task<PingResponse> Forgotten(PingRequest request, ServerCallContext context);

        public abstract Task<PingResponse> Public(PingRequest request, ServerCallContext context);

        public abstract Task<PingResponse> Fails(PingRequest request, ServerCallContext context);

        /// <summary>Grpc.AspNetCore binds with a null instance and finds the overrides by name.</summary>
        public static void BindService(ServiceBinderBase binder, UnattributedServiceBase? service)
        {
            binder.AddMethod(Unattributed, service is null ? null : service.Forgotten);
            binder.AddMethod(Open, service is null ? null : service.Public);
            binder.AddMethod(Failing, service is null ? null : service.Fails);
        }
    }

    /// <summary>One method that states no access rule (the mistake the fallback policy catches), one open, one that fails.</summary>
    public sealed class UnattributedService : UnattributedServiceBase
    {
        public const string Secret = "110101199003074477";

        public override Task<PingResponse> Forgotten(PingRequest request, ServerCallContext context) =>
            Task.FromResult(new PingResponse { Message = "forgotten" });

        [AllowAnonymous]
        public override Task<PingResponse> Public(PingRequest request, ServerCallContext context) =>
            Task.FromResult(new PingResponse { Message = "open" });

        [AllowAnonymous]
        public override Task<PingResponse> Fails(PingRequest request, ServerCallContext context) =>
            throw new InvalidOperationException($"Something with {Secret} in it went wrong.");
    }
}
