using Credentials.Core.Principals;
using Credentials.Server.Tests.Verification;
using Credentials.Store;
using Credentials.V1;
using Dapper;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Audit;

/// <summary>
/// The audit trail takes its writer from each call (CallAudit), not from ambient state: calls
/// of different principals in flight at once, committed in the same groups, are each recorded
/// against their own caller; the server's own bookkeeping writes (the access log, checkpoints) are not
/// recorded against anyone.
/// </summary>
public sealed class AuditCallerTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedDalianCommitteesAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ConcurrentWritesOfTwoPrincipals_EachIsAuditedAgainstItsOwnCaller()
    {
        var tokens = new Dictionary<string, string>
        {
            ["authority"] = _server.AuthorityToken,
            ["dl-s01"] = await _server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01"),
        };
        await Task.WhenAll(Enumerable.Range(1, 40).Select(person =>
        {
            var name = person % 2 == 0 ? "authority" : "dl-s01";
            return _server.Certificates(tokens[name]).IssueCertificateAsync(Issue($"r{person}", person), new Metadata { { "x-request-id", $"{name}.{person}" } })
                .ResponseAsync;
        }));
        // A verification by the committee makes the server write its access log, in the background: no one's write.
        await _server.Verification(tokens["dl-s01"]).VerifyCertificateAsync(
            new VerifyCertificateRequest { Number = VerificationFixtures.UnknownNumber, HolderName = VerificationFixtures.HolderName });
        await _server.FlushAccessLogAsync();

        using var connection = _server.Services.GetRequiredService<Database>().OpenReader();
        var records = connection.Query<(string Principal, string Role, string RequestId, byte[] Event)>(
            """
            SELECT a.principal, a.role, a.request_id, e.body FROM audit_log a
            JOIN ledger_events e ON e.seq = a.first_event
            WHERE a.method = '/credentials.v1.CertificateService/IssueCertificate'
            """).ToList();
        // Besides these: start-up's and the test's own principal.
        var allRecords = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE principal NOT IN ('init', 'test')");
        Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM verifications"));
        Assert.Equal(40, records.Count);
        Assert.Equal(40, allRecords);
        Assert.All(records, r =>
        {
            Assert.StartsWith(r.Principal + ".", r.RequestId, StringComparison.Ordinal);
            Assert.Equal(r.Principal, LedgerEvent.Parser.ParseFrom(r.Event).Actor);
            Assert.Equal(r.Principal == "authority" ? "authority" : "committee", r.Role);
        });
    }
}
