using System.Net;
using System.Security.Cryptography.X509Certificates;
using Credentials.Grpc.Client;
using Credentials.Grpc.Interop;
using Credentials.Grpc.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Credentials.Grpc.Tests.Support;

/// <summary>What a test server differs in: gRPC options, TLS, extra endpoints.</summary>
public sealed class GrpcTestServerOptions
{
    /// <summary>Changes to the server options; the clock is already the server's <see cref="ManualTimeProvider"/>.</summary>
    public Action<GrpcServerOptions>? ConfigureGrpc { get; set; }

    /// <summary>Serve https with this certificate instead of cleartext HTTP/2.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Middleware that runs before the gRPC dispatcher (non-gRPC endpoints).</summary>
    public Action<IApplicationBuilder>? ConfigureApp { get; set; }
}

/// <summary>
/// The real server in process: Kestrel on 127.0.0.1 with a free port, HTTP/2 only, serving the
/// interop TestService, <see cref="ProbeService"/>, health and reflection. Deadlines run on
/// <see cref="Time"/>, which moves only when a test advances it.
/// </summary>
public sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private GrpcTestServer(WebApplication app, Uri address, ManualTimeProvider time)
    {
        _app = app;
        Address = address;
        Time = time;
        Channel = GrpcChannel.ForAddress(address);
        Raw = new RawGrpcClient(address);
    }

    public Uri Address { get; }

    public ManualTimeProvider Time { get; }

    public IServiceProvider Services => _app.Services;

    public ProbeService Probe => Services.GetRequiredService<ProbeService>();

    /// <summary>A channel with default options to this server.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>An HttpClient sending hand-made HTTP/2 requests to this server.</summary>
    public RawGrpcClient Raw { get; }

    public static async Task<GrpcTestServer> StartAsync(GrpcTestServerOptions? options = null)
    {
        options ??= new GrpcTestServerOptions();
        var time = new ManualTimeProvider();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            KestrelDefaults.ConfigureForGrpc(kestrel);
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (options.Certificate is { } certificate)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        InteropHost.AddServices(builder.Services, grpc =>
        {
            grpc.TimeProvider = time;
            options.ConfigureGrpc?.Invoke(grpc);
        });
        builder.Services.AddGrpcService<ProbeService>(ProbeReflection.Descriptor.Services[0]);

        var app = builder.Build();
        options.ConfigureApp?.Invoke(app);
        app.UseGrpcServer();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GrpcTestServer(app, new Uri(address), time);
    }

    /// <summary>Stops the host gracefully: calls in flight may finish, new connections are refused.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Raw.Dispose();
        if (!_stopped)
        {
            await _app.StopAsync();
        }
        await _app.DisposeAsync();
    }
}
