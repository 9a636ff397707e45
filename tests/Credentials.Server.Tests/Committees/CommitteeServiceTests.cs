using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Store;
using Credentials.V1;
using Dapper;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Committees;

public sealed class CommitteeServiceTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static V1.Committee NewCommittee(string code = "SX-S01") => new()
    {
        Code = code,
        Name = "山西省工程系列高级职称评审委员会",
        Organizer = "山西省人社厅",
        Region = "山西省",
        Series = "工程系列",
        Specialties = { "建筑工程", "机械" },
        Levels = { TitleLevel.FullSenior, TitleLevel.DeputySenior },
        AccreditedFrom = Dates.ToProto(new DateOnly(2024, 1, 1)),
        AccreditedUntil = Dates.ToProto(new DateOnly(2026, 12, 31)),
    };

    private Task<CreateCommitteeResponse> CreateAsync(CreateCommitteeRequest request, string? token) =>
        _server.Committees(token).CreateCommitteeAsync(request).ResponseAsync;

    [Fact]
    public async Task CreateCommittee_Authority_AccreditsAndAppendsLedgerEvent()
    {
        var response = await CreateAsync(new CreateCommitteeRequest { RequestId = "r1", Committee = NewCommittee() }, _server.AuthorityToken);

        Assert.Equal(CommitteeState.Active, response.Committee.State);
        Assert.Equal(_server.Time.GetUtcNow(), response.Committee.CreateTime.ToDateTimeOffset());
        Assert.Equal(["建筑工程", "机械"], response.Committee.Specialties);
        using var connection = _server.Services.GetRequiredService<Database>().OpenReader();
        var body = connection.QuerySingle<byte[]>("SELECT body FROM ledger_events WHERE committee_code = 'SX-S01'");
        var change = LedgerEvent.Parser.ParseFrom(body);
        Assert.Equal("authority", change.Actor);
        // The event holds the committee as accredited; what is computed when read is not in it.
        var asRead = response.Committee.Clone();
        asRead.AccreditationStatus = AccreditationStatus.Unspecified;
        asRead.Accreditations.Clear();
        asRead.ScopeHistory.Clear();
        Assert.Equal(asRead, change.CommitteeAccredited.Committee);
        Assert.Equal(AccreditationStatus.Valid, response.Committee.AccreditationStatus);
        var first = Assert.Single(response.Committee.Accreditations);
        Assert.Equal((new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31), "", "authority"),
            (Dates.ToDateOnly(first.ValidFrom), Dates.ToDateOnly(first.ValidUntil), first.DecisionDocument, first.RecordedBy));
        var scope = Assert.Single(response.Committee.ScopeHistory);
        Assert.Equal(("工程系列", new DateOnly(2024, 1, 1), "authority"), (scope.Series, Dates.ToDateOnly(scope.EffectiveDate), scope.RecordedBy));
        Assert.Equal(response.Committee.Specialties, scope.Specialties);
    }

    [Fact]
    public async Task CreateCommittee_SameRequestTwice_ReturnsTheSameCommittee()
    {
        var request = new CreateCommitteeRequest { RequestId = "r1", Committee = NewCommittee() };

        var first = await CreateAsync(request, _server.AuthorityToken);
        var second = await CreateAsync(request, _server.AuthorityToken);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task CreateCommittee_RequestIdReusedForOtherContent_IsAlreadyExists()
    {
        await CreateAsync(new CreateCommitteeRequest { RequestId = "r1", Committee = NewCommittee() }, _server.AuthorityToken);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            CreateAsync(new CreateCommitteeRequest { RequestId = "r1", Committee = NewCommittee("SX-S02") }, _server.AuthorityToken));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal("REQUEST_ID_REUSED", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task CreateCommittee_CodeTaken_IsAlreadyExists()
    {
        await CreateAsync(new CreateCommitteeRequest { RequestId = "r1", Committee = NewCommittee() }, _server.AuthorityToken);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            CreateAsync(new CreateCommitteeRequest { RequestId = "r2", Committee = NewCommittee() }, _server.AuthorityToken));

        Assert.Equal("COMMITTEE_EXISTS", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task CreateCommittee_InvalidFields_AreAllNamedAndNothingIsWritten()
    {
        var committee = NewCommittee("x");
        committee.Levels.Add((TitleLevel)42);
        committee.AccreditedFrom = new Google.Type.Date { Year = 2024, Month = 2, Day = 30 };

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            CreateAsync(new CreateCommitteeRequest { RequestId = "", Committee = committee }, _server.AuthorityToken));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var fields = error.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field).ToList();
        Assert.Equal(["request_id", "committee.accredited_from", "committee.code", "committee.levels[2]"], fields);
        using var connection = _server.Services.GetRequiredService<Database>().OpenReader();
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM committees"));
        Assert.Equal(0, connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM ledger_events WHERE type = {(int)LedgerEventType.CommitteeAccredited}"));
    }

    [Theory]
    [InlineData(Role.Committee)]
    [InlineData(Role.Employer)]
    [InlineData(Role.Platform)]
    public async Task CreateCommittee_OtherRoles_ArePermissionDenied(Role role)
    {
        await _server.SeedDalianCommitteesAsync();
        var token = await _server.AddPrincipalAsync("p", role, role == Role.Committee ? "DL-S01" : null);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            CreateAsync(new CreateCommitteeRequest { RequestId = "r1", Committee = NewCommittee() }, token));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task SuspendRestoreWithdraw_FollowTheRules()
    {
        await _server.SeedDalianCommitteesAsync();
        var committees = _server.Committees(_server.AuthorityToken);

        var suspended = await committees.SuspendCommitteeAsync(
            new SuspendCommitteeRequest { Code = "dl-s01", Reason = "评审程序不完备", DecisionDocument = "大人社函〔2024〕7号" });
        var again = await Assert.ThrowsAsync<RpcException>(() =>
            committees.SuspendCommitteeAsync(new SuspendCommitteeRequest { Code = "DL-S01", Reason = "x", DecisionDocument = "y" }).ResponseAsync);
        var restored = await committees.RestoreCommitteeAsync(
            new RestoreCommitteeRequest { Code = "DL-S01", Reason = "整改完成", DecisionDocument = "大人社函〔2024〕9号" });
        var withdrawn = await committees.WithdrawCommitteeAuthorityAsync(
            new WithdrawCommitteeAuthorityRequest { Code = "DL-S01", Reason = "情节严重", DecisionDocument = "大人社发〔2024〕30号" });
        var afterWithdrawal = await Assert.ThrowsAsync<RpcException>(() =>
            committees.RestoreCommitteeAsync(new RestoreCommitteeRequest { Code = "DL-S01", Reason = "x", DecisionDocument = "y" }).ResponseAsync);

        Assert.Equal(CommitteeState.Suspended, suspended.Committee.State);
        Assert.Equal("大人社函〔2024〕7号", suspended.Committee.LastStateChange.DecisionDocument);
        Assert.Equal(ChinaCalendar.Today(_server.Time), Dates.ToDateOnly(suspended.Committee.LastStateChange.EffectiveDate));
        Assert.Equal("COMMITTEE_ALREADY_SUSPENDED", again.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal(CommitteeState.Active, restored.Committee.State);
        Assert.Equal(CommitteeState.Withdrawn, withdrawn.Committee.State);
        Assert.Equal("COMMITTEE_WITHDRAWN", afterWithdrawal.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task SuspendCommittee_EffectiveInTheFuture_IsInvalid()
    {
        await _server.SeedDalianCommitteesAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Committees(_server.AuthorityToken).SuspendCommitteeAsync(
            new SuspendCommitteeRequest { Code = "DL-S01", Reason = "x", DecisionDocument = "y", EffectiveDate = Dates.ToProto(new DateOnly(2025, 1, 1)) })
            .ResponseAsync);

        Assert.Equal("effective_date", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task SuspendCommittee_Unknown_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Committees(_server.AuthorityToken).SuspendCommitteeAsync(
            new SuspendCommitteeRequest { Code = "NO-SUCH", Reason = "x", DecisionDocument = "y" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("NO-SUCH", error.GetDetail<ResourceInfo>()?.ResourceName);
    }

    [Fact]
    public async Task GetCommittee_CommitteeToken_SeesOnlyItsOwn()
    {
        await _server.SeedDalianCommitteesAsync();
        var token = await _server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");

        var own = await _server.Committees(token).GetCommitteeAsync(new GetCommitteeRequest { Code = "DL-S01" });
        var other = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Committees(token).GetCommitteeAsync(new GetCommitteeRequest { Code = "DL-S02" }).ResponseAsync);

        Assert.Equal("大连市住建局", own.Committee.Organizer);
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
    }

    [Fact]
    public async Task ListCommittees_Pages_CoverEveryCommitteeOnce()
    {
        await _server.SeedDalianCommitteesAsync();
        var token = await _server.AddPrincipalAsync("employer", Role.Employer);
        var codes = new List<string>();
        var request = new ListCommitteesRequest { PageSize = 7 };
        do
        {
            var page = await _server.Committees(token).ListCommitteesAsync(request);
            Assert.True(page.Committees.Count <= 7);
            codes.AddRange(page.Committees.Select(c => c.Code));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(30, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
    }

    [Fact]
    public async Task ListCommittees_TokenWithOtherFilters_IsInvalid()
    {
        await _server.SeedDalianCommitteesAsync();
        var committees = _server.Committees(_server.AuthorityToken);
        var first = await committees.ListCommitteesAsync(new ListCommitteesRequest { PageSize = 5 });

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            committees.ListCommitteesAsync(new ListCommitteesRequest { PageSize = 5, PageToken = first.NextPageToken, Series = "卫生系列" }).ResponseAsync);

        Assert.Equal("page_token", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task ListCommittees_FilterBySeries_ReturnsOnlyThatSeries()
    {
        await _server.SeedDalianCommitteesAsync();

        var page = await _server.Committees(_server.AuthorityToken).ListCommitteesAsync(new ListCommitteesRequest { Series = "卫生系列" });

        Assert.Equal(["DL-S04", "DL-S15", "DL-S16"], page.Committees.Select(c => c.Code));
    }
}
