using Credentials.Core.Principals;
using Credentials.V1;
using Grpc.Core;
using static Credentials.Server.Tests.Integrity.IntegrityFixtures;

namespace Credentials.Server.Tests.Integrity;

/// <summary>What each role may do and see: the authority everything, the platform reads, a committee its own, an employer only whether an active record exists.</summary>
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
    public async Task GetIntegrityStatus_Employer_LearnsOnlyWhetherAndWhichCategories()
    {
        var status = await Server.StatusAsync(1, _employer);

        Assert.True(status.HasActiveRecord);
        Assert.Equal([MisconductType.Plagiarism, MisconductType.ReviewDisciplineBreach], status.Categories);
        Assert.Empty(status.Records);
        Assert.Equal(new GetIntegrityStatusResponse { HasActiveRecord = true, Categories = { status.Categories } }, status);
    }

    [Fact]
    public async Task GetIntegrityStatus_RoleFilter_CountsOnlyThatRole()
    {
        var applicant = await Server.StatusAsync(1, _employer, SubjectRole.Applicant);
        var staff = await Server.StatusAsync(1, _employer, SubjectRole.Staff);

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
        var status = await Server.StatusAsync(2, _employer);

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
