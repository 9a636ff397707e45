using Credentials.Core.Committees;
using Credentials.Core.Principals;
using Credentials.Server.Admin;
using Credentials.Server.Hosting;
using Credentials.Store.Writing;
using Credentials.Testing;
using Credentials.V1;
using Credentials.Store.Audit;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Credentials.Server.Tests;

/// <summary>
/// The real server on 127.0.0.1 with a free port, a temporary data directory and a clock the
/// test moves. Tests call it as any client would: the generated clients over Grpc.Net.Client,
/// on one HTTP/2 channel per server, as the principal whose token they pass.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly TempDirectory? _directory;
    private readonly WebApplication _app;

    private TestServer(TempDirectory? directory, string dataDir, WebApplication app, FakeTimeProvider time, Uri address, CapturingLoggerProvider logs)
    {
        Logs = logs;
        _directory = directory;
        DataDir = dataDir;
        _app = app;
        Time = time;
        Address = address;
        Channel = CreateChannel();
    }

    public FakeTimeProvider Time { get; }

    /// <summary>Every log entry of the server, at every level.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public Uri Address { get; }

    public string DataDir { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The token of the first authority, as first start prints it.</summary>
    public string AuthorityToken { get; private set; } = "";

    public static Task<TestServer> StartAsync(DateTimeOffset? now = null, params string[] extraArgs)
    {
        var directory = new TempDirectory();
        return StartAsync(directory, directory.Path, now, extraArgs);
    }

    /// <summary>A server whose host the test configures further (telemetry exporters, services), after the server's own set-up.</summary>
    public static Task<TestServer> StartWithAsync(Action<WebApplicationBuilder> configure, params string[] extraArgs)
    {
        var directory = new TempDirectory();
        return StartAsync(directory, directory.Path, null, extraArgs, configure);
    }

    /// <summary>A server on an existing data directory, which stays when the server is disposed.</summary>
    public static Task<TestServer> StartOnAsync(string dataDir) => StartAsync(null, dataDir, null, []);

    private static async Task<TestServer> StartAsync(TempDirectory? directory, string dataDir, DateTimeOffset? now, string[] extraArgs,
        Action<WebApplicationBuilder>? configure = null)
    {
        var time = new FakeTimeProvider(now ?? new DateTimeOffset(2024, 12, 20, 2, 0, 0, TimeSpan.Zero));
        // Rate limits off unless a test sets them; holders sign in with the test provider's tokens (later arguments win).
        string[] args = ["--urls", "http://127.0.0.1:0", "--data-dir", dataDir,
            "--RateLimits:Anonymous:Permits=0", "--RateLimits:Employer:Permits=0", "--RateLimits:Committee:Permits=0", "--RateLimits:Holder:Permits=0",
            .. Tests.Holders.TestHolders.ServerSettings, .. extraArgs];
        var logs = new CapturingLoggerProvider();
        var app = ServerHost.Build(args, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
            configure?.Invoke(builder);
        });
        var console = new StringWriter();
        await Startup.InitializeAsync(app.Services, console);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new TestServer(directory, dataDir, app, time, new Uri(address), logs);
        server.AuthorityToken = console.ToString().Split(' ', '\n').SingleOrDefault(AccessToken.IsWellFormed) ?? "";
        return server;
    }

    /// <summary>Adds a principal the way the admin command does and returns its token.</summary>
    public async Task<string> AddPrincipalAsync(string name, Role role, string? committeeCode = null)
    {
        var (_, token) = await Services.GetRequiredService<PrincipalAdmin>().AddAsync(name, role, committeeCode, AuditEntry.Local("test", "test"));
        return token;
    }

    /// <summary>Accredits the 30 Dalian committees of the sample table (window 2024-01-01 to 2026-12-31).</summary>
    public Task SeedDalianCommitteesAsync()
    {
        var (from, until) = CommitteeCsv.DefaultWindow;
        var committees = CommitteeCsv.Parse(Samples.DalianCommitteesCsv, "大连市", from, until, Time.GetUtcNow());
        return Services.GetRequiredService<StoreWriter>().ExecuteAsync(null, tx =>
        {
            foreach (var committee in committees)
            {
                Server.Committees.CommitteeAccreditation.Accredit(tx, committee, "seed");
            }
            return committees.Count;
        });
    }

    /// <summary>
    /// The server's channel, shared by every call of the test: HTTP/2 to <see cref="Address"/>, cleartext for the
    /// default http address. A server started with TLS needs a channel that trusts its certificate (<see cref="CreateChannel"/>).
    /// </summary>
    public GrpcChannel Channel { get; }

    /// <summary>
    /// A new channel to the server whose handler the test configures (trusted roots, a client
    /// certificate, how header values are encoded); the caller disposes it.
    /// </summary>
    public GrpcChannel CreateChannel(Action<SocketsHttpHandler>? configure = null)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        configure?.Invoke(handler);
        return GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = handler });
    }

    /// <summary>
    /// Calls on <paramref name="channel"/> (the server's own by default) as the principal of
    /// <paramref name="token"/>: each call carries <c>authorization: Bearer</c> with it, after the
    /// call's own headers. A null token calls anonymously.
    /// </summary>
    public CallInvoker Caller(string? token, ChannelBase? channel = null)
    {
        channel ??= Channel;
        return token is null
            ? channel.CreateCallInvoker()
            : channel.Intercept(headers => [.. headers, new Metadata.Entry("authorization", "Bearer " + token)]);
    }

    public CommitteeService.CommitteeServiceClient Committees(string? token = null) => new(Caller(token));

    public CertificateService.CertificateServiceClient Certificates(string? token = null) => new(Caller(token));

    public IntegrityService.IntegrityServiceClient Integrity(string? token = null) => new(Caller(token));

    public VerificationService.VerificationServiceClient Verification(string? token = null) => new(Caller(token));

    public LedgerService.LedgerServiceClient Ledger(string? token = null) => new(Caller(token));

    public AuditService.AuditServiceClient Audit(string? token = null) => new(Caller(token));

    public DiagnosticsService.DiagnosticsServiceClient Diagnostics(string? token = null) => new(Caller(token));

    /// <summary>The holder's service, as the holder whose JWT (<see cref="Tests.Holders.TestHolders"/>) is passed.</summary>
    public HolderService.HolderServiceClient Holders(string? token = null) => new(Caller(token));

    /// <summary>grpc.health.v1, which anyone may call.</summary>
    public Health.HealthClient Health() => new(Channel);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory?.Dispose();
    }
}
