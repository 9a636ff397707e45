using System.Security.Cryptography;
using System.Text;
using Credentials.Core.Principals;
using Credentials.Store;
using Credentials.Store.Writing;
using Credentials.V1;
using Dapper;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Credentials.Server.Tests.Operations;

/// <summary>
/// Faults injected into the real writer's connection: a full disk (PRAGMA max_page_count at the
/// current size) and a read-only store (PRAGMA query_only). Writes get UNAVAILABLE with nothing
/// of them stored, health turns NOT_SERVING, and both recover when the condition clears.
/// </summary>
public sealed class StoreFailureTests : IAsyncLifetime
{
    private const int DefaultMaxPageCount = 1073741823;

    private TestServer _server = null!;
    private string _committee = "";
    private int _person;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedDalianCommitteesAsync();
        _committee = await _server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");
        await IssueAsync(1);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private StoreWriter Writer => _server.Services.GetRequiredService<StoreWriter>();

    /// <summary>Issues a batch of <paramref name="count"/> certificates for new holders.</summary>
    private Task<BatchIssueCertificatesResponse> IssueAsync(int count)
    {
        var request = new BatchIssueCertificatesRequest { RequestId = $"batch-{_person}", CommitteeCode = "DL-S01" };
        for (var i = 0; i < count; i++)
        {
            request.Items.Add(Spec(++_person));
        }
        return _server.Certificates(_committee).BatchIssueCertificatesAsync(request).ResponseAsync;
    }

    private Task InjectAsync(string pragma) => Writer.MaintainAsync(connection => connection.ExecuteScalar(pragma));

    /// <summary>Makes the database full at its current size: the next write that needs a page fails with SQLITE_FULL.</summary>
    private Task FillDiskAsync() => Writer.MaintainAsync(connection =>
        connection.ExecuteScalar($"PRAGMA max_page_count = {connection.ExecuteScalar<long>("PRAGMA page_count")}"));

    private async Task<ServingStatus> HealthAsync() => (await _server.Health().CheckAsync(new HealthCheckRequest())).Status;

    /// <summary>Every row of every table, hashed: equal exactly when the stored content is.</summary>
    private string StoredContent()
    {
        using var connection = _server.Services.GetRequiredService<Database>().OpenReader();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        {
            // Some tables are WITHOUT ROWID: rows in the order of their text.
            var rows = connection.Query($"SELECT * FROM \"{table}\"")
                .Select(row => string.Join('|', ((IDictionary<string, object?>)row).Values.Select(v => v is byte[] b ? Convert.ToHexString(b) : $"{v}")))
                .Order(StringComparer.Ordinal);
            hash.AppendData(Encoding.UTF8.GetBytes(table + "\n" + string.Join('\n', rows)));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private long Count(string table)
    {
        using var connection = _server.Services.GetRequiredService<Database>().OpenReader();
        return connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}");
    }

    /// <summary>Waits (on the Watch stream, with a deadline, not on a clock) until health reports <paramref name="expected"/>.</summary>
    private async Task WaitForHealthAsync(ServingStatus expected, Action moveClock)
    {
        using var watch = _server.Health().Watch(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.True(await watch.ResponseStream.MoveNext());
        if (watch.ResponseStream.Current.Status == expected)
        {
            return;
        }
        moveClock();
        await foreach (var response in watch.ResponseStream.ReadAllAsync())
        {
            if (response.Status == expected)
            {
                return;
            }
        }
        Assert.Fail($"Health never became {expected}.");
    }

    [Fact]
    public async Task BatchIssue_DiskFull_UnavailableNothingWrittenNotServingThenRecovers()
    {
        var before = StoredContent();
        var certificates = Count("certificates");
        await FillDiskAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(200));
        var duringFault = await HealthAsync();
        var after = StoredContent();
        await InjectAsync($"PRAGMA max_page_count = {DefaultMaxPageCount}");
        var stillDown = await HealthAsync();
        var issued = await IssueAsync(200);
        var recovered = await HealthAsync();

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("STORE_UNAVAILABLE", error.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
        Assert.Equal(ServingStatus.NotServing, duringFault);
        Assert.Equal(before, after);
        Assert.Equal(ServingStatus.NotServing, stillDown);
        Assert.Equal(200, issued.Certificates.Count);
        Assert.Equal(certificates + 200, Count("certificates"));
        Assert.Equal(ServingStatus.Serving, recovered);
    }

    [Fact]
    public async Task Issue_ReadOnlyStore_UnavailableNothingWrittenThenProbeRestoresServing()
    {
        var before = StoredContent();
        await InjectAsync("PRAGMA query_only = 1");

        var error = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(1));
        var duringFault = await HealthAsync();
        var after = StoredContent();
        await InjectAsync("PRAGMA query_only = 0");
        await WaitForHealthAsync(ServingStatus.Serving, () => _server.Time.Advance(TimeSpan.FromSeconds(10)));
        var issued = await IssueAsync(1);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(ServingStatus.NotServing, duringFault);
        Assert.Equal(before, after);
        Assert.Single(issued.Certificates);
    }

    [Fact]
    public async Task Probe_DiskFullWithoutAnyClientWrite_TurnsNotServingThenServing()
    {
        var before = StoredContent();
        await FillDiskAsync();

        await WaitForHealthAsync(ServingStatus.NotServing, () => _server.Time.Advance(TimeSpan.FromSeconds(10)));
        var after = StoredContent();
        await InjectAsync($"PRAGMA max_page_count = {DefaultMaxPageCount}");
        await WaitForHealthAsync(ServingStatus.Serving, () => _server.Time.Advance(TimeSpan.FromSeconds(10)));

        Assert.Equal(before, after);
        Assert.Equal(0, Count("store_probe"));
    }

    [Fact]
    public async Task Probe_HealthyStore_StaysServingAndKeepsNothing()
    {
        var before = StoredContent();

        _server.Time.Advance(TimeSpan.FromSeconds(10));
        var healthy = await _server.Services.GetRequiredService<Server.Operations.StoreHealth>().ProbeAsync();

        Assert.True(healthy);
        Assert.Equal(ServingStatus.Serving, await HealthAsync());
        Assert.Equal(before, StoredContent());
    }
}
