using Credentials.Core.Principals;
using Credentials.Server.Tests.Certificates;
using Credentials.Server.Tests.Integrity;
using Credentials.Store;
using Credentials.V1;
using Dapper;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Verification.VerificationFixtures;

namespace Credentials.Server.Tests.Verification;

public sealed class AccessLogTests : SeededServerTest
{
    [Fact]
    public async Task ListVerifications_AfterVerifications_ListsWhoAskedAboutWhatNewestFirst()
    {
        var employer = await Server.AddPrincipalAsync("大连某建筑公司", Role.Employer);
        var issued = await Server.IssueAsync(1, Committee);
        await Server.VerifyAsync(issued.Number);
        await Server.VerifyAsync(issued.Number, "李娜", token: employer);
        await Server.VerifyEnvelopeAsync(new VerifyEnvelopeRequest { QrText = issued.QrText }, employer);
        await Server.FlushAccessLogAsync();

        var records = (await Server.ListVerificationsAsync(new ListVerificationsRequest())).Records;

        Assert.Equal(3, records.Count);
        var (envelope, wrongName, anonymous) = (records[0], records[1], records[2]);
        Assert.Equal(VerificationMethod.Envelope, envelope.Method);
        Assert.Equal(EnvelopeVerdict.Valid, envelope.EnvelopeVerdict);
        Assert.Equal(issued.Number, envelope.CertificateNumber);
        Assert.Equal("大连某建筑公司", wrongName.Principal);
        Assert.Equal("employer", wrongName.Role);
        Assert.Equal(VerificationResult.NotFound, wrongName.Result);
        Assert.Equal(VerificationMethod.Number, anonymous.Method);
        Assert.Equal("", anonymous.Principal);
        Assert.Equal("anonymous", anonymous.Role);
        Assert.Equal(VerificationResult.Valid, anonymous.Result);
        Assert.Equal("127.0.0.1", anonymous.ClientAddress);
        Assert.NotEmpty(anonymous.RequestId);
        Assert.Equal(Server.Time.GetUtcNow(), anonymous.Time.ToDateTimeOffset());
        Assert.True(records[0].Id > records[1].Id && records[1].Id > records[2].Id);
    }

    [Fact]
    public async Task VerifyCertificate_Recorded_KeepsNeitherTheNameNorTheDocumentNumber()
    {
        var issued = await Server.IssueAsync(1, Committee);
        await Server.VerifyAsync(issued.Number, "李娜", type: DocumentType.ResidentIdCard, documentNumber: CertificateFixtures.IdNumber(7));
        await Server.FlushAccessLogAsync();

        using var connection = Server.Services.GetRequiredService<Database>().OpenReader();
        var rows = connection.Query("SELECT * FROM verifications").Cast<IDictionary<string, object>>().ToList();

        var values = string.Join("|", rows.SelectMany(r => r.Values).Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Single(rows);
        Assert.DoesNotContain("李娜", values, StringComparison.Ordinal);
        Assert.DoesNotContain(CertificateFixtures.IdNumber(7), values, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyCertificate_InvalidArgument_IsNotRecorded()
    {
        await Assert.ThrowsAsync<RpcException>(() => Server.VerifyAsync(UnknownNumber[..^1] + (UnknownNumber[^1] == 'A' ? 'B' : 'A')));
        await Server.FlushAccessLogAsync();

        Assert.Empty((await Server.ListVerificationsAsync(new ListVerificationsRequest())).Records);
    }

    [Fact]
    public async Task ListVerifications_Filters_SelectOneCertificateOrOnePrincipal()
    {
        var employer = await Server.AddPrincipalAsync("employer", Role.Employer);
        var first = await Server.IssueAsync(1, Committee);
        var second = await Server.IssueAsync(2, Committee);
        await Server.VerifyAsync(first.Number, token: employer);
        await Server.VerifyAsync(second.Number, token: employer);
        await Server.VerifyAsync(first.Number);
        await Server.FlushAccessLogAsync();

        var byCertificate = (await Server.ListVerificationsAsync(new ListVerificationsRequest { CertificateNumber = first.Number.ToLowerInvariant() })).Records;
        var byPrincipal = (await Server.ListVerificationsAsync(new ListVerificationsRequest { Principal = "employer" })).Records;
        var both = (await Server.ListVerificationsAsync(new ListVerificationsRequest { CertificateNumber = second.Number, Principal = "employer" })).Records;

        Assert.Equal(2, byCertificate.Count);
        Assert.All(byCertificate, r => Assert.Equal(first.Number, r.CertificateNumber));
        Assert.Equal(2, byPrincipal.Count);
        Assert.All(byPrincipal, r => Assert.Equal("employer", r.Principal));
        Assert.Equal(second.Number, Assert.Single(both).CertificateNumber);
    }

    [Fact]
    public async Task ListVerifications_Paging_WalksEveryRecordOnceAndRefusesATokenWithOtherFilters()
    {
        for (var i = 0; i < 5; i++)
        {
            await Server.VerifyAsync(UnknownNumber);
        }
        await Server.FlushAccessLogAsync();

        var ids = new List<long>();
        var request = new ListVerificationsRequest { PageSize = 2 };
        ListVerificationsResponse page;
        var pages = 0;
        do
        {
            page = await Server.ListVerificationsAsync(request);
            ids.AddRange(page.Records.Select(r => r.Id));
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (page.NextPageToken.Length > 0);
        var firstToken = (await Server.ListVerificationsAsync(new ListVerificationsRequest { PageSize = 2 })).NextPageToken;
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Server.ListVerificationsAsync(new ListVerificationsRequest { PageSize = 2, PageToken = firstToken, Principal = "someone" }));

        Assert.Equal(3, pages);
        Assert.Equal(5, ids.Distinct().Count());
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("page_token", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task ListVerifications_Employer_IsPermissionDenied()
    {
        var employer = await Server.AddPrincipalAsync("employer", Role.Employer);

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.ListVerificationsAsync(new ListVerificationsRequest(), employer));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task VerifyStream_Items_AreRecordedWithTheirCorrelationIds()
    {
        var issued = await Server.IssueAsync(1, Committee);
        using (var call = Server.Verification(Server.AuthorityToken).VerifyStream())
        {
            await call.RequestStream.WriteAsync(new VerifyStreamRequest
            {
                CorrelationId = "row-7", Certificate = new VerifyCertificateRequest { Number = issued.Number, HolderName = HolderName },
            });
            await call.RequestStream.CompleteAsync();
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
        }
        await Server.FlushAccessLogAsync();

        var record = Assert.Single((await Server.ListVerificationsAsync(new ListVerificationsRequest())).Records);

        Assert.EndsWith("#row-7", record.RequestId, StringComparison.Ordinal);
        Assert.Equal("authority", record.Role);
        Assert.Equal(VerificationResult.Valid, record.Result);
    }
}
