using Credentials.Core.Committees;
using Credentials.Core.Principals;
using Credentials.Grpc;
using Credentials.Grpc.Client;
using Credentials.Server.Admin;
using Credentials.Server.Committees;
using Credentials.Server.Hosting;
using Credentials.Store.Writing;
using Credentials.Testing;
using Credentials.Store.Audit;
using Microsoft.Extensions.Time.Testing;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Credentials.Server.Tests;

/// <summary>
/// The real server on 127.0.0.1 with a free port, a temporary data directory and a clock the
/// test moves. Calls go over real HTTP/2 through our gRPC client.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly TempDirectory? _directory;
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private TestServer(TempDirectory? directory, string dataDir, WebApplication app, FakeTimeProvider time, Uri address, CapturingLoggerProvider logs)
    {
        Logs = logs;
        _directory = directory;
        DataDir = dataDir;
        _app = app;
        Time = time;
        Address = address;
        _channel = GrpcChannel.ForAddress(address);
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

    /// <summary>A server on an existing data directory, which stays when the server is disposed.</summary>
    public static Task<TestServer> StartOnAsync(string dataDir) => StartAsync(null, dataDir, null, []);

    private static async Task<TestServer> StartAsync(TempDirectory? directory, string dataDir, DateTimeOffset? now, string[] extraArgs)
    {
        var time = new FakeTimeProvider(now ?? new DateTimeOffset(2024, 12, 20, 2, 0, 0, TimeSpan.Zero));
        // Rate limits off unless a test sets them (later arguments win).
        string[] args = ["--urls", "http://127.0.0.1:0", "--data-dir", dataDir,
            "--RateLimits:Anonymous:Permits=0", "--RateLimits:Employer:Permits=0", "--RateLimits:Committee:Permits=0", .. extraArgs];
        var logs = new CapturingLoggerProvider();
        var app = ServerHost.Build(args, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
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

    /// <summary>Accredits the 30 Dalian committees of the sample table (window 2024-01-01 to 2028-12-31).</summary>
    public Task SeedDalianCommitteesAsync()
    {
        var (from, until) = CommitteeCsv.DefaultWindow;
        var committees = CommitteeCsv.Parse(Samples.DalianCommitteesCsv, "大连市", from, until, Time.GetUtcNow());
        return Services.GetRequiredService<StoreWriter>().ExecuteAsync(null, tx =>
        {
            foreach (var committee in committees)
            {
                CommitteeAccreditation.Accredit(tx, committee, "seed");
            }
            return committees.Count;
        });
    }

    /// <summary>Calls a credentials.v1 method ("CommitteeService/GetCommittee") with an optional token.</summary>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request, string? token, Metadata? headers = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        (await CallWithHeadersAsync<TRequest, TResponse>(method, request, token, headers)).Response;

    /// <summary>As <see cref="CallAsync"/>, also returning the response headers.</summary>
    public async Task<(TResponse Response, Metadata Headers)> CallWithHeadersAsync<TRequest, TResponse>(string method, TRequest request, string? token,
        Metadata? headers = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        headers ??= [];
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }
        using var call = _channel.UnaryCall<TRequest, TResponse>("/credentials.v1." + method, request, new CallOptions(headers));
        var response = await call.ResponseAsync;
        return (response, await call.ResponseHeadersAsync);
    }

    /// <summary>Opens a bidirectional call to a credentials.v1 method ("VerificationService/VerifyStream") with an optional token.</summary>
    public AsyncDuplexStreamingCall<TRequest, TResponse> Duplex<TRequest, TResponse>(string method, string? token)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }
        return _channel.DuplexStreamingCall<TRequest, TResponse>("/credentials.v1." + method, new CallOptions(headers));
    }

    /// <summary>Calls a server-streaming credentials.v1 method and reads the whole response stream.</summary>
    public async Task<List<TResponse>> StreamAsync<TRequest, TResponse>(string method, TRequest request, string? token, CancellationToken cancellationToken = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        Metadata headers = [];
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }
        using var call = _channel.ServerStreamingCall<TRequest, TResponse>("/credentials.v1." + method, request, new CallOptions(headers, CancellationToken: cancellationToken));
        var responses = new List<TResponse>();
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            responses.Add(call.ResponseStream.Current);
        }
        return responses;
    }

    /// <summary>A channel to the server, for clients under test that make their own calls.</summary>
    public GrpcChannel Channel => _channel;

    /// <summary>
    /// A call with raw header values our client would refuse to send (any text, sent as UTF-8
    /// bytes) and an empty request message; returns the gRPC status and its BadRequest, if any.
    /// </summary>
    public async Task<(Grpc.StatusCode Status, Google.Rpc.BadRequest? BadRequest)> RawCallAsync(string method, params (string Name, string Value)[] headers)
    {
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, "/credentials.v1." + method))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var all = response.Headers.Concat(response.TrailingHeaders).ToDictionary(h => h.Key, h => h.Value.First(), StringComparer.OrdinalIgnoreCase);
        var status = all.TryGetValue("grpc-status", out var code) ? (Grpc.StatusCode)int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) : Grpc.StatusCode.Unknown;
        Google.Rpc.BadRequest? badRequest = null;
        if (all.TryGetValue("grpc-status-details-bin", out var details))
        {
            var rich = Google.Rpc.Status.Parser.ParseFrom(Grpc.Protocol.MetadataEncoding.FromBase64(details));
            badRequest = rich.Details.FirstOrDefault(d => d.Is(Google.Rpc.BadRequest.Descriptor))?.Unpack<Google.Rpc.BadRequest>();
        }
        return (status, badRequest);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory?.Dispose();
    }
}
