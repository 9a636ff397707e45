namespace Credentials.Grpc.Tests.Support;

/// <summary>One server shared by the tests of a class; they run one at a time.</summary>
public class GrpcServerFixture : IAsyncLifetime
{
    private GrpcTestServer? _server;

    public GrpcTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Options of the shared server; the default serves cleartext HTTP/2 with default limits.</summary>
    protected virtual GrpcTestServerOptions Options => new();

    public async Task InitializeAsync() => _server = await GrpcTestServer.StartAsync(Options);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
