using Credentials.Server.Security;
using Credentials.V1;
using Grpc.Core;

namespace Credentials.Server.Tests.Hosting;

/// <summary>
/// The request pipeline does for each call only what the call needs (GrpcHosting.UseCredentialsGrpc):
/// an anonymous call meets no authentication handler, and everything the frame of a call promises
/// holds for refusals too.
/// </summary>
public sealed class PipelineTests : IAsyncLifetime
{
    // What ASP.NET Core's authentication handlers log (Debug) when a request carries no credential.
    private const string NotAuthenticated = "AuthenticationScheme: Bearer was not authenticated.";

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AnonymousCallOfAnAnonymousMethod_RunsNoAuthenticationHandler()
    {
        await _server.Diagnostics().PingAsync(new PingRequest(), new Metadata { { RequestIdFeature.Header, "pipeline-anonymous" } });

        Assert.DoesNotContain(_server.Logs.Entries, e => e.Contains(NotAuthenticated, StringComparison.Ordinal) && e.Contains("pipeline-anonymous", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnonymousCallOfAProtectedMethod_IsAuthenticatedByItsPolicy()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Diagnostics().GetCallStatisticsAsync(
            new GetCallStatisticsRequest(), new Metadata { { RequestIdFeature.Header, "pipeline-protected" } }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        // The policy's scheme ran (and found no token), once: the framework did not add authentication in front as well.
        Assert.Single(_server.Logs.Entries, e => e.Contains(NotAuthenticated, StringComparison.Ordinal) && e.Contains("pipeline-protected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequestIdRefused_IsCountedAndNamesTheHeader()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Diagnostics().PingAsync(new PingRequest(), new Metadata { { RequestIdFeature.Header, "not a request id" } }).ResponseAsync);
        var counts = (await _server.Diagnostics(_server.AuthorityToken).GetCallStatisticsAsync(new GetCallStatisticsRequest())).Counts;

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(RequestIdFeature.Header, error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(counts, c => c is { Method: "/credentials.v1.DiagnosticsService/Ping", Status: "INVALID_ARGUMENT", Count: 1 });
    }

    [Fact]
    public async Task NoRequestIdSent_ANewOneComesBack()
    {
        using var first = _server.Diagnostics().PingAsync(new PingRequest());
        using var second = _server.Diagnostics().PingAsync(new PingRequest());

        var ids = new[] { (await first.ResponseHeadersAsync).GetValue(RequestIdFeature.Header), (await second.ResponseHeadersAsync).GetValue(RequestIdFeature.Header) };

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.NotEqual(ids[0], ids[1]);
    }
}
