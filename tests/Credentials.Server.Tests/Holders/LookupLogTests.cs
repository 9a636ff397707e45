using Credentials.Core.Principals;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;
using static Credentials.Server.Tests.Verification.VerificationFixtures;

namespace Credentials.Server.Tests.Holders;

/// <summary>
/// Who looked me up (职称评审信息查询记录): a holder sees every verification of their certificates, by number, envelope
/// or share code, newest first, with who asked and the answer, and nothing about anyone else's.
/// </summary>
public sealed class LookupLogTests : SeededServerTest
{
    private Task<ListMyLookupsResponse> LookupsAsync(int person, ListMyLookupsRequest? request = null) =>
        Server.Holders(Server.HolderToken(IdNumber(person))).ListMyLookupsAsync(request ?? new ListMyLookupsRequest()).ResponseAsync;

    [Fact]
    public async Task ListMyLookups_ShowsExactlyTheVerificationsOfTheHoldersCertificates()
    {
        var employer = await Server.AddPrincipalAsync("大连某建筑公司", Role.Employer);
        var mine = await Server.IssueAsync(Spec(1), Committee);
        var theirs = await Server.IssueAsync(Spec(2), Committee);
        var code = await Server.ShareAsync(Server.HolderToken(IdNumber(1)), mine.Number);
        var theirCode = await Server.ShareAsync(Server.HolderToken(IdNumber(2)), theirs.Number);

        await Server.VerifyAsync(mine.Number, token: employer);
        await Server.VerifyAsync(theirs.Number);
        await Server.VerifyEnvelopeAsync(new VerifyEnvelopeRequest { QrText = mine.QrText });
        await Server.VerifyEnvelopeAsync(new VerifyEnvelopeRequest { QrText = theirs.QrText }, employer);
        await Server.VerifyCodeAsync(code.Code, employer);
        await Server.VerifyCodeAsync(theirCode.Code);
        await Server.VerifyAsync(mine.Number, "李娜");
        await Server.VerifyAsync(UnknownNumber);
        await Server.FlushAccessLogAsync();

        var lookups = (await LookupsAsync(1)).Lookups;
        var theirLookups = (await LookupsAsync(2)).Lookups;

        Assert.Equal(
        [
            (VerificationMethod.Number, "", "anonymous", VerificationResult.NotFound, EnvelopeVerdict.Unspecified, 0L),
            (VerificationMethod.ShareCode, "大连某建筑公司", "employer", VerificationResult.Valid, EnvelopeVerdict.Unspecified, code.ShareCode.Id),
            (VerificationMethod.Envelope, "", "anonymous", VerificationResult.Unspecified, EnvelopeVerdict.Valid, 0L),
            (VerificationMethod.Number, "大连某建筑公司", "employer", VerificationResult.Valid, EnvelopeVerdict.Unspecified, 0L),
        ], lookups.Select(l => (l.Method, l.Principal, l.Role, l.Result, l.EnvelopeVerdict, l.ShareCodeId)));
        Assert.All(lookups, l => Assert.Equal(mine.Number, l.CertificateNumber));
        Assert.All(lookups, l => Assert.Equal(Server.Time.GetUtcNow(), l.Time.ToDateTimeOffset()));
        Assert.True(lookups.Zip(lookups.Skip(1)).All(p => p.First.Id > p.Second.Id));
        Assert.Equal(3, theirLookups.Count);
        Assert.All(theirLookups, l => Assert.Equal(theirs.Number, l.CertificateNumber));
        Assert.Empty(lookups.Select(l => l.Id).Intersect(theirLookups.Select(l => l.Id)));
    }

    [Fact]
    public async Task ListMyLookups_ExpiredCodeUsed_ShowsTheAttemptWithTheCode()
    {
        var mine = await Server.IssueAsync(Spec(1), Committee);
        var code = await Server.ShareAsync(Server.HolderToken(IdNumber(1)), mine.Number, days: 1);
        Server.Time.Advance(TimeSpan.FromDays(2));

        await Server.VerifyCodeAsync(code.Code);
        await Server.FlushAccessLogAsync();

        var lookup = Assert.Single((await LookupsAsync(1)).Lookups);
        Assert.Equal((VerificationMethod.ShareCode, VerificationResult.NotFound, code.ShareCode.Id), (lookup.Method, lookup.Result, lookup.ShareCodeId));
    }

    [Fact]
    public async Task ListMyLookups_InPagesAndForOneCertificate()
    {
        var first = await Server.IssueAsync(Spec(1), Committee);
        var second = await Server.IssueAsync(Spec(1, specialty: "田径", series: "体育系列", level: TitleLevel.Intermediate), committee: "DL-M02");
        await Server.VerifyAsync(first.Number);
        await Server.VerifyAsync(second.Number);
        await Server.VerifyAsync(first.Number);
        await Server.FlushAccessLogAsync();

        var page1 = await LookupsAsync(1, new ListMyLookupsRequest { PageSize = 2 });
        var page2 = await LookupsAsync(1, new ListMyLookupsRequest { PageSize = 2, PageToken = page1.NextPageToken });
        var onlyFirst = await LookupsAsync(1, new ListMyLookupsRequest { CertificateNumber = first.Number });
        var someoneElses = await LookupsAsync(2, new ListMyLookupsRequest { CertificateNumber = first.Number });

        Assert.Equal([first.Number, second.Number], page1.Lookups.Select(l => l.CertificateNumber));
        Assert.Equal([first.Number], page2.Lookups.Select(l => l.CertificateNumber));
        Assert.Equal("", page2.NextPageToken);
        Assert.Equal(2, onlyFirst.Lookups.Count);
        Assert.Empty(someoneElses.Lookups);
    }

    [Fact]
    public async Task ListVerifications_ShareCodeVerification_NamesTheCodeNotTheCode()
    {
        var mine = await Server.IssueAsync(Spec(1), Committee);
        var code = await Server.ShareAsync(Server.HolderToken(IdNumber(1)), mine.Number);
        await Server.VerifyCodeAsync(code.Code);
        await Server.FlushAccessLogAsync();

        var record = Assert.Single((await Server.ListVerificationsAsync(new ListVerificationsRequest())).Records);

        Assert.Equal((VerificationMethod.ShareCode, mine.Number, VerificationResult.Valid, code.ShareCode.Id),
            (record.Method, record.CertificateNumber, record.Result, record.ShareCodeId));
        Assert.DoesNotContain(code.Code.Replace("-", "", StringComparison.Ordinal), record.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListMyLookups_WithoutAHolderToken_IsRefused()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.Holders(Server.AuthorityToken).ListMyLookupsAsync(new ListMyLookupsRequest()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}
