using Credentials.Core.Principals;
using Credentials.Server.Tests.Holders;
using Credentials.V1;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;
using static Credentials.Server.Tests.Integrity.IntegrityFixtures;

namespace Credentials.Server.Tests.Integrity;

/// <summary>
/// What each role may do and see: the authority everything, the platform reads, a committee its own, a holder their
/// own record; an employer learns whether an active record exists only from a share code the holder included it in.
/// </summary>
public sealed class IntegrityVisibilityTests : SeededServerTest
{
    private string _s02 = "";
    private string _employer = "";
    private string _platform = "";
    private MisconductRecord _byAuthority = null!;
    private MisconductRecord _byS01 = null!;
    private MisconductRecord _byS02 = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _s02 = await Server.AddPrincipalAsync("dl-s02", Role.Committee, "DL-S02");
        _employer = await Server.AddPrincipalAsync("employer", Role.Employer);
        _platform = await Server.AddPrincipalAsync("platform", Role.Platform);
        // Person 1: an applicant record by the authority and one by DL-S01 (expired), an expert record by DL-S02.
        _byAuthority = await Server.RecordAsync(Record(person: 1, type: MisconductType.Plagiarism));
        _byS01 = await Server.RecordAsync(Record(person: 1, decided: new DateOnly(2020, 3, 1)), Committee);
        _byS02 = await Server.RecordAsync(Record(person: 1, type: MisconductType.ReviewDisciplineBreach, role: SubjectRole.Expert), _s02);
    }

    [Fact]
    public async Task GetIntegrityStatus_Employer_IsPermissionDeniedForAnyone()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.StatusAsync(1, _employer));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.StartsWith("The employer role may not call GetIntegrityStatus. ", error.Status.Detail);
        Assert.Contains("share code", error.Status.Detail);
    }

    [Fact]
    public async Task Employer_WithAShareCodeIncludingIt_LearnsOnlyWhetherAnActiveRecordExists()
    {
        var certificate = await Server.IssueAsync(Spec(2), Committee);
        await Server.RecordAsync(Record(person: 2, type: MisconductType.Other));
        var code = await Server.ShareAsync(Server.HolderToken(IdNumber(2)), certificate.Number, includeIntegrity: true);

        var answer = await Server.VerifyCodeAsync(code.Code, _employer);

        Assert.True(answer.Integrity.HasActiveRecord);
        Assert.Equal(new SharedIntegrityStatus { HasActiveRecord = true, AsOf = answer.Integrity.AsOf }, answer.Integrity);
    }

    [Fact]
    public async Task GetMyIntegrityRecord_Holder_SeesEveryRecordAboutThemAndNoOneElses()
    {
        await Server.RecordAsync(Record(person: 2, type: MisconductType.Other));
        await Server.RescindAsync(_byAuthority.Id);

        var own = await Server.Holders(Server.HolderToken(IdNumber(1))).GetMyIntegrityRecordAsync(new GetMyIntegrityRecordRequest());
        var clean = await Server.Holders(Server.HolderToken(IdNumber(3))).GetMyIntegrityRecordAsync(new GetMyIntegrityRecordRequest());

        Assert.True(own.HasActiveRecord);
        Assert.Equal([(_byS02.Id, MisconductState.Active), (_byAuthority.Id, MisconductState.Rescinded), (_byS01.Id, MisconductState.Expired)],
            own.Records.Select(r => (r.Id, r.State)));
        Assert.Equal("行政复议撤销原认定", own.Records[1].Rescission.Reason);
        Assert.All(own.Records, r => Assert.Equal("", r.RecordedBy));
        Assert.All(own.Records, r => Assert.Equal("", r.Subject.DocumentNumber));
        Assert.Equal(new GetMyIntegrityRecordResponse(), clean);
    }

    [Fact]
    public async Task GetIntegrityStatus_RoleFilter_CountsOnlyThatRole()
    {
        var applicant = await Server.StatusAsync(1, _platform, SubjectRole.Applicant);
        var staff = await Server.StatusAsync(1, _platform, SubjectRole.Staff);

        Assert.Equal([MisconductType.Plagiarism], applicant.Categories);
        Assert.False(staff.HasActiveRecord);
    }

    [Fact]
    public async Task GetIntegrityStatus_Committee_SeesOnlyItsOwnCommitteesRecords()
    {
        var status = await Server.StatusAsync(1, Committee);

        Assert.True(status.HasActiveRecord);
        Assert.Equal([_byS01.Id], status.Records.Select(r => r.Id));
        Assert.Equal(MisconductState.Expired, status.Records[0].State);
    }

    [Theory]
    [InlineData(Role.Authority)]
    [InlineData(Role.Platform)]
    public async Task GetIntegrityStatus_AuthorityAndPlatform_SeeEveryRecordNewestFirst(Role role)
    {
        var status = await Server.StatusAsync(1, role == Role.Authority ? Server.AuthorityToken : _platform);

        Assert.Equal([_byS02.Id, _byAuthority.Id, _byS01.Id], status.Records.Select(r => r.Id));
    }

    [Fact]
    public async Task GetIntegrityStatus_PersonWithoutRecords_HasNone()
    {
        var status = await Server.StatusAsync(2, _platform);

        Assert.False(status.HasActiveRecord);
        Assert.Empty(status.Categories);
    }

    [Fact]
    public async Task ListMisconduct_Committee_SeesOnlyItsOwn()
    {
        var own = await Server.ListAsync(new ListMisconductRequest(), _s02);
        var foreign = await Assert.ThrowsAsync<RpcException>(() => Server.ListAsync(new ListMisconductRequest { CommitteeCode = "DL-S01" }, _s02));

        Assert.Equal([_byS02.Id], own.Records.Select(r => r.Id));
        Assert.Equal(StatusCode.PermissionDenied, foreign.StatusCode);
    }

    [Fact]
    public async Task ListMisconduct_Platform_SeesEveryRecord()
    {
        var all = await Server.ListAsync(new ListMisconductRequest(), _platform);
        var s01 = await Server.ListAsync(new ListMisconductRequest { CommitteeCode = "DL-S01" }, _platform);

        Assert.Equal([_byAuthority.Id, _byS01.Id, _byS02.Id], all.Records.Select(r => r.Id));
        Assert.Equal([_byS01.Id], s01.Records.Select(r => r.Id));
    }

    [Fact]
    public async Task ListMisconduct_Employer_IsPermissionDenied()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.ListAsync(new ListMisconductRequest(), _employer));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Theory]
    [InlineData(Role.Employer)]
    [InlineData(Role.Platform)]
    public async Task RecordMisconduct_ReadingRoles_ArePermissionDenied(Role role)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RecordAsync(Record(person: 3), role == Role.Employer ? _employer : _platform));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task RescindMisconduct_Committee_IsPermissionDeniedEvenForItsOwn()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RescindAsync(_byS01.Id, token: Committee));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task GetIntegrityStatus_WithoutToken_IsUnauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.Integrity().GetIntegrityStatusAsync(new GetIntegrityStatusRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }
}
