using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Google.Rpc;
using Grpc.Core;

namespace Credentials.Server.Tests.Committees;

/// <summary>RenewCommitteeAccreditation (核准备案 renewed): the 3-year cap, the ledger, the audit, the history.</summary>
public sealed class AccreditationRenewalTests : SeededServerTest
{
    internal static RenewCommitteeAccreditationRequest Renewal(string until, string? from = null, string code = "DL-S01", string requestId = "renew-1",
        string document = "大人社函〔2024〕50号") => new()
    {
        RequestId = requestId,
        Code = code,
        Accreditation = new Accreditation
        {
            ValidFrom = from is null ? null : Dates.ToProto(DateOnly.Parse(from)),
            ValidUntil = Dates.ToProto(DateOnly.Parse(until)),
            DecisionDocument = document,
        },
    };

    private Task<RenewCommitteeAccreditationResponse> RenewAsync(RenewCommitteeAccreditationRequest request, string? token = null) =>
        Server.Committees(token ?? Server.AuthorityToken).RenewCommitteeAccreditationAsync(request).ResponseAsync;

    [Fact]
    public async Task Renew_AfterTheWindow_AppendsTheWindowWithItsEventAndAudit()
    {
        var eventsBefore = Server.LedgerEvents().Count;

        var renewed = (await RenewAsync(Renewal("2029-12-31"))).Committee;

        // Recorded on 2024-12-20: the first window is still the one in force; both are kept.
        Assert.Equal(AccreditationStatus.Valid, renewed.AccreditationStatus);
        Assert.Equal((new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31)), (Dates.ToDateOnly(renewed.AccreditedFrom), Dates.ToDateOnly(renewed.AccreditedUntil)));
        Assert.Equal([("2024-01-01", "2026-12-31", ""), ("2027-01-01", "2029-12-31", "大人社函〔2024〕50号")],
            renewed.Accreditations.Select(a => (Iso(a.ValidFrom), Iso(a.ValidUntil), a.DecisionDocument)));
        Assert.Equal(("authority", Server.Time.GetUtcNow()), (renewed.Accreditations[1].RecordedBy, renewed.Accreditations[1].RecordTime.ToDateTimeOffset()));
        var change = Assert.Single(Server.LedgerEvents().Skip(eventsBefore));
        Assert.Equal(("DL-S01", "DL-S01", "authority"), (change.CommitteeCode, change.CommitteeAccreditationRenewed.Code, change.Actor));
        Assert.Equal(renewed.Accreditations[1], change.CommitteeAccreditationRenewed.Accreditation);
        var audit = Assert.Single((await Server.Audit(Server.AuthorityToken).ListAuditRecordsAsync(
            new ListAuditRecordsRequest { Method = "/credentials.v1.CommitteeService/RenewCommitteeAccreditation" })).Records);
        Assert.Equal(("authority", (long)change.Sequence, (long)change.Sequence), (audit.Principal, audit.FirstEvent, audit.LastEvent));
    }

    [Fact]
    public async Task Renew_ReadLater_ShowsTheRenewalInForce()
    {
        await RenewAsync(Renewal("2029-12-31"));
        Server.SetChinaTime(new DateTime(2027, 1, 1, 0, 0, 0));

        var committee = (await Server.Committees(Server.AuthorityToken).GetCommitteeAsync(new GetCommitteeRequest { Code = "DL-S01" })).Committee;

        Assert.Equal(AccreditationStatus.Valid, committee.AccreditationStatus);
        Assert.Equal(("2027-01-01", "2029-12-31"), (Iso(committee.AccreditedFrom), Iso(committee.AccreditedUntil)));
        Assert.Equal(2, committee.Accreditations.Count);
    }

    [Theory]
    [InlineData("2027-01-01", "2030-01-01")] // three years and a day
    [InlineData("2027-01-01", "2031-12-31")]
    public async Task Renew_BeyondThreeYears_IsFailedPreconditionAndWritesNothing(string from, string until)
    {
        var eventsBefore = Server.LedgerEvents().Count;

        var error = await Assert.ThrowsAsync<RpcException>(() => RenewAsync(Renewal(until, from)));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var info = error.GetDetail<ErrorInfo>()!;
        Assert.Equal(("ACCREDITATION_TOO_LONG", "credentials.v1", "2029-12-31"), (info.Reason, info.Domain, info.Metadata["latest_valid_until"]));
        Assert.Equal(eventsBefore, Server.LedgerEvents().Count);
        Assert.Equal(30, Server.Count("committee_accreditations"));
        Assert.Empty((await Server.Audit(Server.AuthorityToken).ListAuditRecordsAsync(
            new ListAuditRecordsRequest { Method = "/credentials.v1.CommitteeService/RenewCommitteeAccreditation" })).Records);
    }

    [Fact]
    public async Task Renew_ExactlyThreeYearsFromALeapDay_IsAccepted()
    {
        var renewed = (await RenewAsync(Renewal("2030-02-28", from: "2027-03-01"))).Committee;

        Assert.Equal("2030-02-28", Iso(renewed.Accreditations[^1].ValidUntil));
    }

    [Fact]
    public async Task Renew_NotLaterThanTheLatestWindow_IsRefused()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => RenewAsync(Renewal("2026-12-31", from: "2025-01-01")));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("RENEWAL_NOT_LATER", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task Renew_Withdrawn_IsRefused()
    {
        await Server.Committees(Server.AuthorityToken).WithdrawCommitteeAuthorityAsync(
            new WithdrawCommitteeAuthorityRequest { Code = "DL-S01", Reason = "情节严重", DecisionDocument = "大人社发〔2024〕30号" });

        var error = await Assert.ThrowsAsync<RpcException>(() => RenewAsync(Renewal("2029-12-31")));

        Assert.Equal("COMMITTEE_WITHDRAWN", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task Renew_AfterALapse_BeginsTodayUnlessAsked()
    {
        Server.SetChinaTime(new DateTime(2027, 3, 15, 10, 0, 0));

        var renewed = (await RenewAsync(Renewal("2030-03-14"))).Committee;

        Assert.Equal(("2027-03-15", "2030-03-14"), (Iso(renewed.Accreditations[^1].ValidFrom), Iso(renewed.Accreditations[^1].ValidUntil)));
        Assert.Equal(AccreditationStatus.Valid, renewed.AccreditationStatus);
    }

    [Fact]
    public async Task Renew_InvalidFields_AreNamed()
    {
        var request = Renewal("2029-12-31", from: "2027-01-01", document: "");
        request.Code = "dl s01";
        request.Accreditation.ValidUntil = new Google.Type.Date { Year = 2029, Month = 2, Day = 30 };

        var error = await Assert.ThrowsAsync<RpcException>(() => RenewAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["code", "accreditation.decision_document", "accreditation.valid_until"], error.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task Renew_UntilBeforeTheDefaultStart_NamesValidUntil()
    {
        // The latest window ends 2026-12-31, so the renewal would begin 2027-01-01.
        var error = await Assert.ThrowsAsync<RpcException>(() => RenewAsync(Renewal("2026-12-31")));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("accreditation.valid_until", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task Renew_SameRequestTwice_RenewsOnce()
    {
        var first = (await RenewAsync(Renewal("2029-12-31"))).Committee;
        var eventsAfterFirst = Server.LedgerEvents().Count;

        var second = (await RenewAsync(Renewal("2029-12-31"))).Committee;
        var reused = await Assert.ThrowsAsync<RpcException>(() => RenewAsync(Renewal("2029-06-30")));

        Assert.Equal(first, second);
        Assert.Equal(eventsAfterFirst, Server.LedgerEvents().Count);
        Assert.Equal(StatusCode.AlreadyExists, reused.StatusCode);
        Assert.Equal("REQUEST_ID_REUSED", reused.GetDetail<ErrorInfo>()?.Reason);
    }

    [Theory]
    [InlineData(Role.Committee)]
    [InlineData(Role.Platform)]
    [InlineData(Role.Employer)]
    public async Task Renew_OtherRoles_ArePermissionDenied(Role role)
    {
        var token = role == Role.Committee ? Committee : await Server.AddPrincipalAsync("p", role);

        var error = await Assert.ThrowsAsync<RpcException>(() => RenewAsync(Renewal("2029-12-31"), token));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Renew_UnknownCommittee_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => RenewAsync(Renewal("2029-12-31", code: "NO-SUCH")));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private static string Iso(Google.Type.Date date) => Dates.ToIso(Dates.ToDateOnly(date)!.Value);
}
