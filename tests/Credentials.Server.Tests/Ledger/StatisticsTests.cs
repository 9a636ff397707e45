using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Server.Tests.Certificates;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Grpc.Core;

namespace Credentials.Server.Tests.Ledger;

public sealed class StatisticsTests : LedgerServerTest
{
    private Task<GetStatisticsResponse> StatisticsAsync(GetStatisticsRequest? request = null) =>
        Server.Ledger(Platform).GetStatisticsAsync(request ?? new GetStatisticsRequest()).ResponseAsync;

    private Task RevokeAsync(string number, RevocationReason reason) =>
        Server.Certificates(Server.AuthorityToken).RevokeCertificateAsync(new RevokeCertificateRequest
        {
            Number = number,
            Revocation = new Revocation { Reason = reason, Details = "经核查属实", DecisionDocument = "大人社发〔2024〕40号" },
            Misconduct = CertificateFixtures.Finding(),
        }).ResponseAsync;

    [Fact]
    public async Task GetStatistics_CertificatesAndRevocations_CountedByYearCommitteeSeriesLevelAndReason()
    {
        var s02 = await Server.AddPrincipalAsync("dl-s02", Role.Committee, "DL-S02");
        await Server.Certificates(s02).IssueCertificateAsync(CertificateFixtures.Issue("s02-1", person: 8, committee: "DL-S02", specialty: "计量"));
        var numbers = (await Server.Certificates(Platform).ListCertificatesAsync(new ListCertificatesRequest { PageSize = 10 })).Certificates
            .Select(c => c.Number).Order().ToList();
        await RevokeAsync(numbers[0], RevocationReason.FalseMaterials);
        await RevokeAsync(numbers[1], RevocationReason.Plagiarism);

        var all = await StatisticsAsync();
        var of2023 = await StatisticsAsync(new GetStatisticsRequest { ReviewYear = 2023 });
        var ofS02 = await StatisticsAsync(new GetStatisticsRequest { CommitteeCode = "dl-s02" });

        Assert.Equal([(2024, "DL-S01", "工程系列", TitleLevel.DeputySenior, 3L), (2024, "DL-S02", "工程系列", TitleLevel.DeputySenior, 1L)],
            all.Certificates.Select(c => (c.ReviewYear, c.CommitteeCode, c.Series, c.Level, c.Issued)));
        Assert.Equal(2, all.Certificates.Sum(c => c.Revoked));
        Assert.Equal([(RevocationReason.FalseMaterials, 1L), (RevocationReason.Plagiarism, 1L)], all.Revocations.Select(r => (r.Reason, r.Count)));
        Assert.Empty(of2023.Certificates);
        Assert.Empty(of2023.Revocations);
        Assert.Equal(1, Assert.Single(ofS02.Certificates).Issued);
        Assert.Equal(StoredEvents().Length, all.TreeSize);
    }

    [Fact]
    public async Task GetStatistics_ActiveMisconduct_ComputedFromTheClockAndRescissions()
    {
        await Server.RecordAsync(IntegrityFixtures.Record(person: 20, type: MisconductType.Plagiarism));
        await Server.RecordAsync(IntegrityFixtures.Record(person: 21, type: MisconductType.Plagiarism));
        await Server.RecordAsync(IntegrityFixtures.Record(person: 22, type: MisconductType.ReviewDisciplineBreach, role: SubjectRole.Expert));
        var rescinded = await Server.RecordAsync(IntegrityFixtures.Record(person: 23, type: MisconductType.Plagiarism));
        await Server.RescindAsync(rescinded.Id);

        var now = await StatisticsAsync();
        // Decided 2024-12-18 for three years: active through 2027-12-18, expired from the 19th (China dates).
        Server.SetChinaTime(new DateTime(2027, 12, 18, 23, 59, 0));
        var lastDay = await StatisticsAsync();
        Server.SetChinaTime(new DateTime(2027, 12, 19, 0, 0, 0));
        var expired = await StatisticsAsync();

        Assert.Equal([(SubjectRole.Applicant, MisconductType.Plagiarism, 2L), (SubjectRole.Expert, MisconductType.ReviewDisciplineBreach, 1L)],
            now.ActiveMisconduct.Select(m => (m.Role, m.Type, m.Active)));
        Assert.Equal(new DateOnly(2024, 12, 20), Dates.ToDateOnly(now.AsOf));
        Assert.Equal(3, lastDay.ActiveMisconduct.Sum(m => m.Active));
        Assert.Empty(expired.ActiveMisconduct);
        Assert.Equal(new DateOnly(2027, 12, 19), Dates.ToDateOnly(expired.AsOf));
    }

    [Fact]
    public async Task GetStatistics_BadFilters_InvalidArgumentNamingTheField()
    {
        await AssertRefusedAsync(StatusCode.InvalidArgument, "review_year", () => StatisticsAsync(new GetStatisticsRequest { ReviewYear = -1 }));
        await AssertRefusedAsync(StatusCode.InvalidArgument, "committee_code", () => StatisticsAsync(new GetStatisticsRequest { CommitteeCode = "坏" }));
    }
}
