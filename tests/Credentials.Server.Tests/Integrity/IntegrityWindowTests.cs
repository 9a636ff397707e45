using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Server.Certificates;
using Credentials.V1;
using Google.Rpc;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;
using static Credentials.Server.Tests.Integrity.IntegrityFixtures;

namespace Credentials.Server.Tests.Integrity;

/// <summary>
/// The record period with time moved by the fake clock: a record is active from its decision date
/// through the same calendar date three years later (Asia/Shanghai dates), expired from the next day.
/// </summary>
public sealed class IntegrityWindowTests : SeededServerTest
{

    private async Task<MisconductState> StateAsync(int person) => Assert.Single((await Server.StatusAsync(person)).Records).State;

    [Fact]
    public async Task GetIntegrityStatus_AroundTheLastActiveDay_ExpiresAtChinaMidnightAfterIt()
    {
        var record = await Server.RecordAsync(Record(person: 1, decided: new DateOnly(2024, 12, 18)));

        Server.SetChinaTime(new DateTime(2027, 12, 17, 12, 0, 0));
        var dayBefore = await StateAsync(1);
        Server.SetChinaTime(new DateTime(2027, 12, 18, 23, 59, 59));
        var lastDay = await StateAsync(1);
        Server.SetChinaTime(new DateTime(2027, 12, 19, 0, 0, 0));
        var dayAfter = await Server.StatusAsync(1);

        Assert.Equal(new DateOnly(2027, 12, 18), Dates.ToDateOnly(record.ActiveUntil));
        Assert.Equal((MisconductState.Active, MisconductState.Active), (dayBefore, lastDay));
        Assert.False(dayAfter.HasActiveRecord);
        Assert.Empty(dayAfter.Categories);
        Assert.Equal(MisconductState.Expired, Assert.Single(dayAfter.Records).State);
        Assert.Equal([record.Id], (await Server.ListAsync(new ListMisconductRequest { State = MisconductState.Expired })).Records.Select(r => r.Id));
        Assert.Empty((await Server.ListAsync(new ListMisconductRequest { State = MisconductState.Active })).Records);
    }

    [Fact]
    public async Task GetIntegrityStatus_DecidedOnALeapDay_IsActiveThroughTheTwentyEighthOfFebruary()
    {
        var record = await Server.RecordAsync(Record(person: 1, decided: new DateOnly(2024, 2, 29)));

        Server.SetChinaTime(new DateTime(2027, 2, 28, 23, 59, 59));
        var lastDay = await StateAsync(1);
        var listedActive = (await Server.ListAsync(new ListMisconductRequest { State = MisconductState.Active })).Records.Count;
        Server.SetChinaTime(new DateTime(2027, 3, 1, 0, 0, 0));
        var dayAfter = await StateAsync(1);
        var listedExpired = (await Server.ListAsync(new ListMisconductRequest { State = MisconductState.Expired })).Records.Count;

        Assert.Equal(new DateOnly(2027, 2, 28), Dates.ToDateOnly(record.ActiveUntil));
        Assert.Equal((MisconductState.Active, 1), (lastDay, listedActive));
        Assert.Equal((MisconductState.Expired, 1), (dayAfter, listedExpired));
    }

    [Fact]
    public async Task RecordMisconduct_HistoricalRecords_AreActiveOrExpiredByTheirOwnDate()
    {
        // 历史信息归集: today is 2024-12-20; a decision of 2021-12-20 has its last day today, one of 2021-12-19 ended yesterday.
        var lastDay = await Server.RecordAsync(Record(person: 1, decided: new DateOnly(2021, 12, 20)));
        var ended = await Server.RecordAsync(Record(person: 2, decided: new DateOnly(2021, 12, 19)));

        Assert.Equal(MisconductState.Active, lastDay.State);
        Assert.Equal(MisconductState.Expired, ended.State);
        Assert.False((await Server.StatusAsync(2)).HasActiveRecord);
    }

    [Fact]
    public async Task RecordMisconduct_DecisionDate_IsJudgedByTheChinaDate()
    {
        // 2024-12-20T10:00Z is 18:00 in China: 2024-12-21 is tomorrow. At 16:30Z it is 00:30 on the 21st there.
        var tomorrow = Record(person: 1, decided: new DateOnly(2024, 12, 21));
        Server.Time.SetUtcNow(new DateTimeOffset(2024, 12, 20, 10, 0, 0, TimeSpan.Zero));

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RecordAsync(tomorrow));
        Server.Time.SetUtcNow(new DateTimeOffset(2024, 12, 20, 16, 30, 0, TimeSpan.Zero));
        var recorded = await Server.RecordAsync(tomorrow);

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
        var certificate = await Server.IssueAsync(person: 1, Committee);
        var record = await Server.RecordAsync(Record(person: 1, decided: new DateOnly(2024, 12, 20), certificates: certificate.Number));
        var revoked = await Server.GetCertificateAsync(certificate.Number);
        var platform = await Server.AddPrincipalAsync("platform", Role.Platform);
        var now = await Server.StatusAsync(1, platform);

        Server.SetChinaTime(new DateTime(2027, 12, 21, 0, 0, 0));
        var later = await Server.StatusAsync(1, platform);

        Assert.Equal((CertificateState.Revoked, record.Id), (revoked.State, revoked.Revocation.MisconductRecordId));
        Assert.True(now.HasActiveRecord);
        Assert.Equal([MisconductType.FalseMaterials], now.Categories);
        Assert.False(later.HasActiveRecord);
        Assert.Equal(MisconductState.Expired, Assert.Single((await Server.StatusAsync(1)).Records).State);
        Assert.Equal(CertificateState.Revoked, (await Server.GetCertificateAsync(certificate.Number)).State);
    }

    [Fact]
    public async Task IssueCertificate_HolderWithActiveApplicantRecord_IsRefusedUntilTheRecordExpires()
    {
        var record = await Server.RecordAsync(Record(person: 7, type: MisconductType.UntrueDeclaration, decided: new DateOnly(2024, 12, 18)));

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.IssueAsync(person: 7, Committee));
        Server.SetChinaTime(new DateTime(2027, 12, 18, 23, 0, 0));
        var lastDay = await Assert.ThrowsAsync<RpcException>(() => Server.IssueAsync(person: 7, Committee));
        Server.SetChinaTime(new DateTime(2027, 12, 19, 0, 0, 0));
        var issued = await Server.IssueAsync(person: 7, Committee);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        var info = refused.GetDetail<ErrorInfo>()!;
        Assert.Equal((CertificateIssuer.ActiveMisconductRecord, record.Id, "spec"), (info.Reason, info.Metadata["record_id"], info.Metadata["subject"]));
        Assert.Equal(CertificateIssuer.ActiveMisconductRecord, lastDay.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(CertificateState.Valid, issued.State);
    }

    [Fact]
    public async Task IssueCertificate_AfterRescission_IsAllowed()
    {
        var record = await Server.RecordAsync(Record(person: 7));
        await Assert.ThrowsAsync<RpcException>(() => Server.IssueAsync(person: 7, Committee));

        await Server.RescindAsync(record.Id);
        var issued = await Server.IssueAsync(person: 7, Committee);

        Assert.Equal(CertificateState.Valid, issued.State);
    }

    [Fact]
    public async Task IssueCertificate_ExpertOrStaffRecord_DoesNotBarATitle()
    {
        await Server.RecordAsync(Record(person: 7, type: MisconductType.ReviewDisciplineBreach, role: SubjectRole.Expert));
        await Server.RecordAsync(Record(person: 7, type: MisconductType.StaffMisconduct, role: SubjectRole.Staff));

        var issued = await Server.IssueAsync(person: 7, Committee);

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
        var record = await Server.RecordAsync(Record(person: 2));
        var request = new BatchIssueCertificatesRequest { RequestId = "session-1", CommitteeCode = "DL-S01", Items = { Spec(1), Spec(2), Spec(3) } };

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.Certificates(Committee).BatchIssueCertificatesAsync(request).ResponseAsync);

        var violation = Assert.Single(error.GetDetail<PreconditionFailure>()!.Violations);
        Assert.Equal(("items[1]", CertificateIssuer.ActiveMisconductRecord), (violation.Subject, violation.Type));
        Assert.Contains(record.Id, violation.Description, StringComparison.Ordinal);
        Assert.Equal(0, Server.Count("certificates"));
    }
}
