using Credentials.Core.Time;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Google.Rpc;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Committees;

/// <summary>
/// An accreditation expires by the clock, not by a job: GetCommittee and ListCommittees compute it
/// when read, and issuance needs a window on the review meeting date. The seeded window ends 2026-12-31.
/// </summary>
public sealed class AccreditationExpiryTests : SeededServerTest
{
    private async Task<V1.Committee> GetAsync(string code = "DL-S01") =>
        (await Server.Committees(Server.AuthorityToken).GetCommitteeAsync(new GetCommitteeRequest { Code = code })).Committee;

    private async Task<List<string>> ListAsync(AccreditationStatus status) =>
        (await Server.Committees(Server.AuthorityToken).ListCommitteesAsync(new ListCommitteesRequest { AccreditationStatus = status, PageSize = 1000 }))
        .Committees.Select(c => c.Code).ToList();

    [Theory]
    [InlineData(2026, 12, 30, 23, 59, AccreditationStatus.Valid)] // the day before the last
    [InlineData(2026, 12, 31, 0, 0, AccreditationStatus.Valid)] // the last day, from its first minute
    [InlineData(2026, 12, 31, 23, 59, AccreditationStatus.Valid)] // to its last (Asia/Shanghai)
    [InlineData(2027, 1, 1, 0, 0, AccreditationStatus.Expired)] // the day after
    public async Task GetAndList_AroundTheLastDay_ShowTheStatusOfThatDay(int year, int month, int day, int hour, int minute, AccreditationStatus expected)
    {
        Server.SetChinaTime(new DateTime(year, month, day, hour, minute, 0));

        var committee = await GetAsync();
        var matching = await ListAsync(expected);
        var other = await ListAsync(expected == AccreditationStatus.Valid ? AccreditationStatus.Expired : AccreditationStatus.Valid);

        Assert.Equal(expected, committee.AccreditationStatus);
        Assert.Equal(30, matching.Count);
        Assert.Empty(other);
    }

    [Fact]
    public async Task List_AfterOneRenewal_SplitsValidFromExpired()
    {
        await Server.Committees(Server.AuthorityToken).RenewCommitteeAccreditationAsync(AccreditationRenewalTests.Renewal("2029-12-31", code: "DL-S07"));
        Server.SetChinaTime(new DateTime(2027, 1, 1, 8, 0, 0));

        var valid = await ListAsync(AccreditationStatus.Valid);
        var expired = await ListAsync(AccreditationStatus.Expired);
        var committee = await Server.Committees(Committee).ListCommitteesAsync(new ListCommitteesRequest { AccreditationStatus = AccreditationStatus.Expired });

        Assert.Equal(["DL-S07"], valid);
        Assert.Equal(29, expired.Count);
        Assert.DoesNotContain("DL-S07", expired);
        Assert.Equal(["DL-S01"], committee.Committees.Select(c => c.Code));
    }

    [Fact]
    public async Task GetAndList_WindowNotBegun_IsNotYetValid()
    {
        await Server.Committees(Server.AuthorityToken).CreateCommitteeAsync(new CreateCommitteeRequest
        {
            RequestId = "c1",
            Committee = new V1.Committee
            {
                Code = "SX-S01", Name = "山西省工程系列高级职称评审委员会", Organizer = "山西省人社厅", Region = "山西省", Series = "工程系列",
                Specialties = { "建筑工程" }, Levels = { TitleLevel.DeputySenior },
                AccreditedFrom = Dates.ToProto(new DateOnly(2025, 1, 1)), AccreditedUntil = Dates.ToProto(new DateOnly(2027, 12, 31)),
            },
        });

        var before = await GetAsync("SX-S01");
        var pending = await ListAsync(AccreditationStatus.NotYetValid);
        Server.SetChinaTime(new DateTime(2025, 1, 1, 0, 0, 0));
        var after = await GetAsync("SX-S01");

        Assert.Equal(AccreditationStatus.NotYetValid, before.AccreditationStatus);
        Assert.Equal(["SX-S01"], pending);
        Assert.Equal(AccreditationStatus.Valid, after.AccreditationStatus);
    }

    [Fact]
    public async Task List_UndefinedStatus_IsInvalid()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync((AccreditationStatus)9));

        Assert.Equal("accreditation_status", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task Issue_AfterExpiry_ForAMeetingInsideTheWindow_IsIssued()
    {
        Server.SetChinaTime(new DateTime(2027, 1, 15, 10, 0, 0));

        var issued = await IssueAsync(person: 51, meeting: new DateOnly(2026, 12, 31));

        Assert.StartsWith("DL-S01-2026-", issued.Certificate.Number, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_ForAMeetingAfterTheWindow_IsRefusedUntilRenewed()
    {
        Server.SetChinaTime(new DateTime(2027, 1, 15, 10, 0, 0));

        var refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(person: 52, meeting: new DateOnly(2027, 1, 1)));
        await Server.Committees(Server.AuthorityToken).RenewCommitteeAccreditationAsync(AccreditationRenewalTests.Renewal("2029-12-31", from: "2027-01-01"));
        var renewed = await IssueAsync(person: 52, meeting: new DateOnly(2027, 1, 1));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal("OUTSIDE_ACCREDITATION_WINDOW", refused.GetDetail<ErrorInfo>()?.Reason);
        Assert.StartsWith("DL-S01-2027-", renewed.Certificate.Number, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_ForAMeetingInALapse_IsRefusedEvenAfterALaterRenewal()
    {
        Server.SetChinaTime(new DateTime(2027, 3, 15, 10, 0, 0));
        // Renewed from 2027-03-01: January and February 2027 stay outside every window.
        await Server.Committees(Server.AuthorityToken).RenewCommitteeAccreditationAsync(AccreditationRenewalTests.Renewal("2030-02-28", from: "2027-03-01"));

        var refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(person: 53, meeting: new DateOnly(2027, 2, 26)));

        Assert.Equal("OUTSIDE_ACCREDITATION_WINDOW", refused.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains("2024-01-01 to 2026-12-31, 2027-03-01 to 2030-02-28", refused.Status.Detail, StringComparison.Ordinal);
    }

    private Task<IssueCertificateResponse> IssueAsync(int person, DateOnly meeting)
    {
        var request = Issue($"expiry-{person}-{Dates.ToIso(meeting)}", person);
        request.Spec.ReviewMeetingDate = Dates.ToProto(meeting);
        request.Spec.ReviewYear = meeting.Year;
        request.Spec.QualificationDate = Dates.ToProto(meeting.AddDays(1));
        return Server.Certificates(Committee).IssueCertificateAsync(request).ResponseAsync;
    }
}
