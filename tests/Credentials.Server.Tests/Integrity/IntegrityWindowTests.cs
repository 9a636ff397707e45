using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Grpc;
using Credentials.Server.Certificates;
using Credentials.V1;
using Google.Rpc;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;
using static Credentials.Server.Tests.Integrity.IntegrityFixtures;
using StatusCode = Credentials.Grpc.StatusCode;

namespace Credentials.Server.Tests.Integrity;

/// <summary>
/// The record period with time moved by the fake clock: a record is active from its decision date
/// through the same calendar date three years later (Asia/Shanghai dates), expired from the next day.
/// </summary>
public sealed class IntegrityWindowTests : IAsyncLifetime
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

    private async Task<MisconductState> StateAsync(int person) => Assert.Single((await _server.StatusAsync(person)).Records).State;

    [Fact]
    public async Task GetIntegrityStatus_AroundTheLastActiveDay_ExpiresAtChinaMidnightAfterIt()
    {
        var record = await _server.RecordAsync(Record(person: 1, decided: new DateOnly(2024, 12, 18)));

        _server.SetChinaTime(new DateTime(2027, 12, 17, 12, 0, 0));
        var dayBefore = await StateAsync(1);
        _server.SetChinaTime(new DateTime(2027, 12, 18, 23, 59, 59));
        var lastDay = await StateAsync(1);
        _server.SetChinaTime(new DateTime(2027, 12, 19, 0, 0, 0));
        var dayAfter = await _server.StatusAsync(1);

        Assert.Equal(new DateOnly(2027, 12, 18), Dates.ToDateOnly(record.ActiveUntil));
        Assert.Equal((MisconductState.Active, MisconductState.Active), (dayBefore, lastDay));
        Assert.False(dayAfter.HasActiveRecord);
        Assert.Empty(dayAfter.Categories);
        Assert.Equal(MisconductState.Expired, Assert.Single(dayAfter.Records).State);
        Assert.Equal([record.Id], (await _server.ListAsync(new ListMisconductRequest { State = MisconductState.Expired })).Records.Select(r => r.Id));
        Assert.Empty((await _server.ListAsync(new ListMisconductRequest { State = MisconductState.Active })).Records);
    }

    [Fact]
    public async Task GetIntegrityStatus_DecidedOnALeapDay_IsActiveThroughTheTwentyEighthOfFebruary()
    {
        var record = await _server.RecordAsync(Record(person: 1, decided: new DateOnly(2024, 2, 29)));

        _server.SetChinaTime(new DateTime(2027, 2, 28, 23, 59, 59));
        var lastDay = await StateAsync(1);
        var listedActive = (await _server.ListAsync(new ListMisconductRequest { State = MisconductState.Active })).Records.Count;
        _server.SetChinaTime(new DateTime(2027, 3, 1, 0, 0, 0));
        var dayAfter = await StateAsync(1);
        var listedExpired = (await _server.ListAsync(new ListMisconductRequest { State = MisconductState.Expired })).Records.Count;

        Assert.Equal(new DateOnly(2027, 2, 28), Dates.ToDateOnly(record.ActiveUntil));
        Assert.Equal((MisconductState.Active, 1), (lastDay, listedActive));
        Assert.Equal((MisconductState.Expired, 1), (dayAfter, listedExpired));
    }

    [Fact]
    public async Task RecordMisconduct_HistoricalRecords_AreActiveOrExpiredByTheirOwnDate()
    {
        // 历史信息归集: today is 2024-12-20; a decision of 2021-12-20 has its last day today, one of 2021-12-19 ended yesterday.
        var lastDay = await _server.RecordAsync(Record(person: 1, decided: new DateOnly(2021, 12, 20)));
        var ended = await _server.RecordAsync(Record(person: 2, decided: new DateOnly(2021, 12, 19)));

        Assert.Equal(MisconductState.Active, lastDay.State);
        Assert.Equal(MisconductState.Expired, ended.State);
        Assert.False((await _server.StatusAsync(2)).HasActiveRecord);
    }

    [Fact]
    public async Task RecordMisconduct_DecisionDate_IsJudgedByTheChinaDate()
    {
        // 2024-12-20T10:00Z is 18:00 in China: 2024-12-21 is tomorrow. At 16:30Z it is 00:30 on the 21st there.
        var tomorrow = Record(person: 1, decided: new DateOnly(2024, 12, 21));
        _server.Time.SetUtcNow(new DateTimeOffset(2024, 12, 20, 10, 0, 0, TimeSpan.Zero));

        var error = await Assert.ThrowsAsync<RpcException>(() => _server.RecordAsync(tomorrow));
        _server.Time.SetUtcNow(new DateTimeOffset(2024, 12, 20, 16, 30, 0, TimeSpan.Zero));
        var recorded = await _server.RecordAsync(tomorrow);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("record.decision_date", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Equal(MisconductState.Active, recorded.State);
    }

    [Fact]
    public async Task RecordMisconduct_PeriodFromTheProfile_SetsTheLastActiveDay()
    {
        await using var server = await TestServer.StartAsync(null, "--Policy:MisconductRecordYears=5");

        var record = await server.RecordAsync(Record(person: 1, decided: new DateOnly(2024, 12, 18)));
        server.SetChinaTime(new DateTime(2029, 12, 18, 12, 0, 0));
        var lastDay = await server.StatusAsync(1);

        Assert.Equal(new DateOnly(2029, 12, 18), Dates.ToDateOnly(record.ActiveUntil));
        Assert.True(lastDay.HasActiveRecord);
    }

    [Fact]
    public async Task WorkedExample_RecordFraud_RevokesTheCertificateAndExpiresAfterThreeYears()
    {
        // The README's worked example: a committee issues, the authority records the holder's fraud
        // naming the certificate, the certificate is revoked at once, and three years on the record expires.
        var certificate = await _server.IssueAsync(person: 1, _committee);
        var record = await _server.RecordAsync(Record(person: 1, decided: new DateOnly(2024, 12, 20), certificates: certificate.Number));
        var revoked = await _server.GetCertificateAsync(certificate.Number);
        var employer = await _server.AddPrincipalAsync("employer", Role.Employer);
        var now = await _server.StatusAsync(1, employer);

        _server.SetChinaTime(new DateTime(2027, 12, 21, 0, 0, 0));
        var later = await _server.StatusAsync(1, employer);

        Assert.Equal((CertificateState.Revoked, record.Id), (revoked.State, revoked.Revocation.MisconductRecordId));
        Assert.True(now.HasActiveRecord);
        Assert.Equal([MisconductType.FalseMaterials], now.Categories);
        Assert.False(later.HasActiveRecord);
        Assert.Equal(MisconductState.Expired, Assert.Single((await _server.StatusAsync(1)).Records).State);
        Assert.Equal(CertificateState.Revoked, (await _server.GetCertificateAsync(certificate.Number)).State);
    }

    [Fact]
    public async Task IssueCertificate_HolderWithActiveApplicantRecord_IsRefusedUntilTheRecordExpires()
    {
        var record = await _server.RecordAsync(Record(person: 7, type: MisconductType.UntrueDeclaration, decided: new DateOnly(2024, 12, 18)));

        var refused = await Assert.ThrowsAsync<RpcException>(() => _server.IssueAsync(person: 7, _committee));
        _server.SetChinaTime(new DateTime(2027, 12, 18, 23, 0, 0));
        var lastDay = await Assert.ThrowsAsync<RpcException>(() => _server.IssueAsync(person: 7, _committee));
        _server.SetChinaTime(new DateTime(2027, 12, 19, 0, 0, 0));
        var issued = await _server.IssueAsync(person: 7, _committee);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        var info = refused.GetDetail<ErrorInfo>()!;
        Assert.Equal((CertificateIssuer.ActiveMisconductRecord, record.Id, "spec"), (info.Reason, info.Metadata["record_id"], info.Metadata["subject"]));
        Assert.Equal(CertificateIssuer.ActiveMisconductRecord, lastDay.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(CertificateState.Valid, issued.State);
    }

    [Fact]
    public async Task IssueCertificate_AfterRescission_IsAllowed()
    {
        var record = await _server.RecordAsync(Record(person: 7));
        await Assert.ThrowsAsync<RpcException>(() => _server.IssueAsync(person: 7, _committee));

        await _server.RescindAsync(record.Id);
        var issued = await _server.IssueAsync(person: 7, _committee);

        Assert.Equal(CertificateState.Valid, issued.State);
    }

    [Fact]
    public async Task IssueCertificate_ExpertOrStaffRecord_DoesNotBarATitle()
    {
        await _server.RecordAsync(Record(person: 7, type: MisconductType.ReviewDisciplineBreach, role: SubjectRole.Expert));
        await _server.RecordAsync(Record(person: 7, type: MisconductType.StaffMisconduct, role: SubjectRole.Staff));

        var issued = await _server.IssueAsync(person: 7, _committee);

        Assert.Equal(CertificateState.Valid, issued.State);
    }

    [Fact]
    public async Task IssueCertificate_SwitchOff_IssuesDespiteAnActiveRecord()
    {
        await using var server = await TestServer.StartAsync(null, "--Policy:RefuseIssuanceWithActiveRecord=false");
        await server.SeedDalianCommitteesAsync();
        await server.RecordAsync(Record(person: 7));

        var issued = await server.IssueAsync(person: 7);

        Assert.Equal(CertificateState.Valid, issued.State);
    }

    [Fact]
    public async Task BatchIssueCertificates_OneHolderWithARecord_NamesItAndIssuesNothing()
    {
        var record = await _server.RecordAsync(Record(person: 2));
        var request = new BatchIssueCertificatesRequest { RequestId = "session-1", CommitteeCode = "DL-S01", Items = { Spec(1), Spec(2), Spec(3) } };

        var error = await Assert.ThrowsAsync<RpcException>(() => _server.CallAsync<BatchIssueCertificatesRequest, BatchIssueCertificatesResponse>(
            "CertificateService/BatchIssueCertificates", request, _committee));

        var violation = Assert.Single(error.GetDetail<PreconditionFailure>()!.Violations);
        Assert.Equal(("items[1]", CertificateIssuer.ActiveMisconductRecord), (violation.Subject, violation.Type));
        Assert.Contains(record.Id, violation.Description, StringComparison.Ordinal);
        Assert.Equal(0, _server.Count("certificates"));
    }
}
