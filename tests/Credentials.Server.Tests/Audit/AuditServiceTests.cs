using Credentials.Core.Principals;
using Credentials.Server.Admin;
using Credentials.V1;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Audit;

public sealed class AuditServiceTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _committee = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedDalianCommitteesAsync();
        _committee = await _server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<ListAuditRecordsResponse> ListAsync(ListAuditRecordsRequest request, string? token = null) =>
        _server.Audit(token ?? _server.AuthorityToken).ListAuditRecordsAsync(request).ResponseAsync;

    [Fact]
    public async Task IssueCertificate_Write_IsAuditedWithCallerAddressRequestIdAndEvent()
    {
        using var call = _server.Certificates(_committee).IssueCertificateAsync(Issue("r1"), new Metadata { { "x-request-id", "hr-ticket-4711" } });
        var response = await call;
        var headers = await call.ResponseHeadersAsync;

        var record = Assert.Single((await ListAsync(new ListAuditRecordsRequest { Principal = "dl-s01" })).Records);

        Assert.Equal("hr-ticket-4711", headers.GetValue("x-request-id"));
        Assert.Equal(("dl-s01", "committee", "/credentials.v1.CertificateService/IssueCertificate", "127.0.0.1", "hr-ticket-4711"),
            (record.Principal, record.Role, record.Method, record.ClientAddress, record.RequestId));
        Assert.Equal(_server.Time.GetUtcNow(), record.Time.ToDateTimeOffset());
        Assert.True(record.HasFirstEvent);
        Assert.Equal(record.FirstEvent, record.LastEvent);
        Assert.StartsWith("DL-S01-2024-", response.Certificate.Number, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_WithoutRequestId_GetsOneInTheResponseAndTheAudit()
    {
        using var call = _server.Certificates(_committee).IssueCertificateAsync(Issue("r1"));
        await call;

        var generated = (await call.ResponseHeadersAsync).GetValue("x-request-id");
        var record = Assert.Single((await ListAsync(new ListAuditRecordsRequest { Principal = "dl-s01" })).Records);
        Assert.Matches("^[0-9a-f]{32}$", generated);
        Assert.Equal(generated, record.RequestId);
    }

    [Fact]
    public async Task WriteRefusedInsideTheWriter_LeavesNoAuditRecord()
    {
        await _server.Certificates(_committee).IssueCertificateAsync(Issue("r1", person: 3));

        // The same person at the same level in the same year: refused inside the write, after signing.
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Certificates(_committee).IssueCertificateAsync(Issue("r2", person: 3)).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Single((await ListAsync(new ListAuditRecordsRequest { Principal = "dl-s01" })).Records);
    }

    [Fact]
    public async Task AdminCommand_Write_IsAuditedAsAdmin()
    {
        var exit = await AdminCommands.RunAsync(["principals", "add", "hr-office", "--role", "employer", "--data-dir", _server.DataDir], TextWriter.Null, TextWriter.Null);

        var records = (await ListAsync(new ListAuditRecordsRequest())).Records;
        Assert.Equal(0, exit);
        Assert.Contains(records, r => r.Principal.StartsWith("admin", StringComparison.Ordinal)
            && r.Method == "credentials-server principals add hr-office" && r.ClientAddress == "local");
    }

    [Fact]
    public async Task ListAuditRecords_Pages_NewestFirst()
    {
        for (var i = 0; i < 5; i++)
        {
            await _server.Certificates(_committee).IssueCertificateAsync(Issue($"r{i}", person: i));
        }
        var ids = new List<long>();
        var request = new ListAuditRecordsRequest { PageSize = 2, Principal = "dl-s01" };
        do
        {
            var page = await ListAsync(request);
            ids.AddRange(page.Records.Select(r => r.Id));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(5, ids.Count);
        Assert.Equal(ids.OrderDescending(), ids);
    }

    [Theory]
    [InlineData(Role.Platform)]
    [InlineData(Role.Employer)]
    public async Task ListAuditRecords_OtherRoles_ArePermissionDenied(Role role)
    {
        var token = await _server.AddPrincipalAsync("reader", role);

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(new ListAuditRecordsRequest(), token));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}
