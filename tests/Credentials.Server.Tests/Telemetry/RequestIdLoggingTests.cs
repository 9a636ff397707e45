using Credentials.Core.Identity;
using Credentials.Server.Security;
using Credentials.V1;
using Grpc.Core;

namespace Credentials.Server.Tests.Telemetry;

/// <summary>What the server logs while a call runs carries the call's request id, and only that call's.</summary>
public sealed class RequestIdLoggingTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Metadata RequestId(string id) => new() { { RequestIdFeature.Header, id } };

    [Fact]
    public async Task ConcurrentCalls_LogEntries_CarryTheirOwnRequestId()
    {
        var ids = Enumerable.Range(1, 8).Select(i => $"scope-test-{i}").ToList();

        await Task.WhenAll(ids.Select(id => _server.Diagnostics().PingAsync(new PingRequest(), RequestId(id)).ResponseAsync));

        foreach (var id in ids)
        {
            var entries = _server.Logs.Entries.Where(e => e.Contains($"{RequestIdLogScope.Key}={id}", StringComparison.Ordinal)).ToList();
            // Routing's "Executing endpoint" runs inside the call's scope, at Information.
            Assert.Contains(entries, e => e.Contains("Executing endpoint 'gRPC - /credentials.v1.DiagnosticsService/Ping'", StringComparison.Ordinal));
            Assert.All(entries, e => Assert.Equal(1, Count(e, $"{RequestIdLogScope.Key}=")));
            // And so does the call's end, at Debug.
            Assert.Contains(entries, e => e.Contains("DiagnosticsService/Ping ended OK", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RequestIdThatMayHoldAnIdNumber_IsLoggedOnlyAsItsHash()
    {
        const string id = "210203198001011234";

        await _server.Diagnostics().PingAsync(new PingRequest(), RequestId(id));

        Assert.Contains(_server.Logs.Entries, e => e.Contains($"{RequestIdLogScope.Key}={CallerIdentifiers.HashedPrefix}", StringComparison.Ordinal));
        Assert.DoesNotContain(id, _server.Logs.AllText, StringComparison.Ordinal);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
