using System.Text;
using Credentials.Core.Envelopes;
using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Server.Keys;
using Credentials.Store;
using Credentials.V1;
using Credentials.Store.Audit;
using Dapper;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Certificates;

public sealed class CertificateServiceTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _committee = "";
    private long _initialEvents;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedDalianCommitteesAsync();
        _committee = await _server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");
        _initialEvents = LedgerSize();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<IssueCertificateResponse> IssueAsync(IssueCertificateRequest request, string? token = null) =>
        _server.Certificates(token ?? _committee).IssueCertificateAsync(request).ResponseAsync;

    private Task<BatchIssueCertificatesResponse> BatchAsync(BatchIssueCertificatesRequest request) =>
        _server.Certificates(_committee).BatchIssueCertificatesAsync(request).ResponseAsync;

    private Task<RevokeCertificateResponse> RevokeAsync(string number, string? token = null, Google.Type.Date? effective = null,
        RevocationReason reason = RevocationReason.FalseMaterials) =>
        _server.Certificates(token ?? _committee).RevokeCertificateAsync(new RevokeCertificateRequest
        {
            Number = number,
            Revocation = new Revocation { Reason = reason, DecisionDocument = "大人社发〔2024〕40号", EffectiveDate = effective },
            Misconduct = reason == RevocationReason.IssuedInError ? null : CertificateFixtures.Finding(),
        }).ResponseAsync;

    private long LedgerSize()
    {
        using var connection = _server.Services.GetRequiredService<Database>().OpenReader();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM ledger_events");
    }

    [Fact]
    public async Task IssueCertificate_InScope_ReturnsSignedCertificateWithoutTheIdNumber()
    {
        var request = Issue("r1");

        var certificate = (await IssueAsync(request)).Certificate;

        Assert.Matches(@"^DL-S01-2024-000001[0-9A-Z]$", certificate.Number);
        Assert.Equal(CertificateState.Valid, certificate.State);
        Assert.Equal("大连市工程系列城乡建设行业高级专业技术资格评审委员会", certificate.CommitteeName);
        Assert.Equal(IdNumber(1)[..2] + new string('*', 14) + IdNumber(1)[^2..], certificate.Spec.Holder.DocumentMasked);
        Assert.Equal("", certificate.Spec.Holder.DocumentNumber);
        Assert.DoesNotContain(IdNumber(1), Encoding.Latin1.GetString(certificate.ToByteArray()), StringComparison.Ordinal);
        var ring = _server.Services.GetRequiredService<KeyRing>();
        Assert.True(EnvelopeVerifier.Verify(certificate.Envelope, PayloadTypes.Certificate, ring.Find).IsValid);
        var document = CertificateDocument.Parser.ParseFrom(certificate.Envelope.Payload);
        Assert.Equal((certificate.Number, "张伟", "建筑工程", 2024), (document.Number, document.HolderName, document.Specialty, document.ReviewYear));
        Assert.Equal(certificate.Envelope, QrText.Decode(certificate.QrText).Envelope);
    }

    [Fact]
    public async Task IssueCertificate_SameRequestTwice_ReturnsTheSameCertificate()
    {
        var first = await IssueAsync(Issue("r1"));
        var second = await IssueAsync(Issue("r1"));

        Assert.Equal(first.Certificate, second.Certificate);
        Assert.Equal(_initialEvents + 1, LedgerSize());
    }

    [Fact]
    public async Task IssueCertificate_RequestIdWithOtherContent_IsAlreadyExists()
    {
        await IssueAsync(Issue("r1", person: 1));

        var error = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(Issue("r1", person: 2)));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal("REQUEST_ID_REUSED", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task IssueCertificate_AnotherCommitteesCode_IsPermissionDenied()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(Issue("r1", committee: "DL-S02", specialty: "计量")));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Theory]
    [InlineData(Role.Employer)]
    [InlineData(Role.Platform)]
    public async Task IssueCertificate_ReadingRoles_ArePermissionDenied(Role role)
    {
        var token = await _server.AddPrincipalAsync("reader", role);

        var error = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(Issue("r1"), token));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task IssueCertificate_Authority_MayIssueForAnyCommittee()
    {
        var certificate = (await IssueAsync(Issue("r1", committee: "DL-S02", specialty: "计量"), _server.AuthorityToken)).Certificate;

        Assert.StartsWith("DL-S02-2024-", certificate.Number, StringComparison.Ordinal);
        Assert.Equal("authority", certificate.IssuedBy);
    }

    [Fact]
    public async Task IssueCertificate_SpecialtyOutsideScope_IsFailedPrecondition()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(Issue("r1", specialty: "核电运行")));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("OUTSIDE_ACCREDITED_SCOPE", error.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal("spec", Assert.Single(error.GetDetail<PreconditionFailure>()!.Violations).Subject);
        Assert.Equal(_initialEvents, LedgerSize());
    }

    [Fact]
    public async Task IssueCertificate_SuspendedCommittee_IssuesNothing()
    {
        await _server.Committees(_server.AuthorityToken).SuspendCommitteeAsync(
            new SuspendCommitteeRequest { Code = "DL-S01", Reason = "评审工作不规范", DecisionDocument = "大人社函〔2024〕8号" });

        var error = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(Issue("r1")));

        Assert.Equal("COMMITTEE_SUSPENDED", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task IssueCertificate_InvalidFields_AreNamed()
    {
        var request = Issue("r1");
        request.Spec.Holder.DocumentNumber = "110105194912310021";
        request.Spec.ReviewYear = 2023;

        var error = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["spec.holder.document_number", "spec.review_year"], error.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task IssueCertificate_SameLevelInAnotherSeriesTheSameYear_IsRefusedUntilTheFirstIsRevoked()
    {
        var s12 = await _server.AddPrincipalAsync("dl-s12", Role.Committee, "DL-S12");
        var first = await IssueAsync(Issue("r1", person: 7));
        var second = Issue("r2", person: 7, committee: "DL-S12", specialty: "机电");

        var error = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(second, s12));
        // Issued in error: no misconduct, which would bar the holder (a revocation for fraud records it).
        await RevokeAsync(first.Certificate.Number, reason: RevocationReason.IssuedInError);
        var afterRevocation = await IssueAsync(second, s12);

        Assert.Equal("DUPLICATE_LEVEL_IN_YEAR", error.GetDetail<ErrorInfo>()?.Reason);
        Assert.StartsWith("DL-S12-2024-", afterRevocation.Certificate.Number, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchIssueCertificates_ValidSession_IssuesAllInOrder()
    {
        var request = new BatchIssueCertificatesRequest { RequestId = "session-1", CommitteeCode = "DL-S01", ReviewedCount = 10 };
        request.Items.Add(Enumerable.Range(1, 5).Select(p => Spec(p)));

        var response = await BatchAsync(request);

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"DL-S01-2024-{i:D6}"), response.Certificates.Select(c => c.Number[..^1]));
        Assert.Equal(_initialEvents + 5, LedgerSize());
    }

    [Fact]
    public async Task BatchIssueCertificates_OffendingItems_AreAllNamedAndNothingIsIssued()
    {
        var request = new BatchIssueCertificatesRequest { RequestId = "session-1", CommitteeCode = "DL-S01" };
        request.Items.Add([Spec(1, specialty: "核电运行"), Spec(2), Spec(3, level: TitleLevel.FullSenior), Spec(2)]);

        var error = await Assert.ThrowsAsync<RpcException>(() => BatchAsync(request));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal(["items[0]", "items[2]", "items[3]"], error.GetDetail<PreconditionFailure>()!.Violations.Select(v => v.Subject));
        Assert.Equal(_initialEvents, LedgerSize());
    }

    [Fact]
    public async Task BatchIssueCertificates_InvalidItems_AreNamedByIndex()
    {
        var request = new BatchIssueCertificatesRequest { RequestId = "session-1", CommitteeCode = "DL-S01" };
        var bad = Spec(2);
        bad.Holder.Name = "";
        request.Items.Add([Spec(1), bad]);

        var error = await Assert.ThrowsAsync<RpcException>(() => BatchAsync(request));

        Assert.Equal("items[1].holder.name", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task BatchIssueCertificates_PassRateOverHalf_IsRefused()
    {
        // Liaoning 2024 (八): 评聘分开 senior titles pass at most 50% of those reviewed.
        var request = new BatchIssueCertificatesRequest { RequestId = "session-1", CommitteeCode = "DL-S01", ReviewedCount = 10 };
        request.Items.Add(Enumerable.Range(1, 6).Select(p => Spec(p)));

        var error = await Assert.ThrowsAsync<RpcException>(() => BatchAsync(request));

        Assert.Equal("PASS_RATE_EXCEEDED", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task RevokeCertificate_ByIssuer_IsFinal()
    {
        var number = (await IssueAsync(Issue("r1"))).Certificate.Number;

        var revoked = (await RevokeAsync(number)).Certificate;
        var again = await Assert.ThrowsAsync<RpcException>(() => RevokeAsync(number));
        var read = await _server.Certificates(_server.AuthorityToken).GetCertificateAsync(new GetCertificateRequest { Number = number });

        Assert.Equal(CertificateState.Revoked, revoked.State);
        Assert.Equal(RevocationReason.FalseMaterials, revoked.Revocation.Reason);
        Assert.Equal(ChinaCalendar.Today(_server.Time), Dates.ToDateOnly(revoked.Revocation.EffectiveDate));
        Assert.Equal("dl-s01", revoked.Revocation.RecordedBy);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal("CERTIFICATE_ALREADY_REVOKED", again.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(revoked, read.Certificate);
    }

    [Fact]
    public async Task RevokeCertificate_EffectiveBeforeQualification_IsInvalid()
    {
        var number = (await IssueAsync(Issue("r1"))).Certificate.Number;

        var error = await Assert.ThrowsAsync<RpcException>(() => RevokeAsync(number, effective: Dates.ToProto(new DateOnly(2024, 11, 30))));

        Assert.Equal("revocation.effective_date", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task RevokeCertificate_OtherCommittee_IsPermissionDenied()
    {
        var number = (await IssueAsync(Issue("r1"))).Certificate.Number;
        var other = await _server.AddPrincipalAsync("dl-s02", Role.Committee, "DL-S02");

        var error = await Assert.ThrowsAsync<RpcException>(() => RevokeAsync(number, other));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task GetCertificate_MistypedNumber_IsInvalidArgumentBeforeLookup()
    {
        var number = (await IssueAsync(Issue("r1"))).Certificate.Number;
        var typo = number[..^2] + (number[^2] == '1' ? '2' : '1') + number[^1];

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Certificates(_server.AuthorityToken).GetCertificateAsync(new GetCertificateRequest { Number = typo }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("number", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task ListCertificates_CommitteeToken_SeesOnlyItsOwn()
    {
        var s02 = await _server.AddPrincipalAsync("dl-s02", Role.Committee, "DL-S02");
        await IssueAsync(Issue("r1", person: 1));
        await IssueAsync(Issue("r2", person: 2, committee: "DL-S02", specialty: "计量"), s02);

        var own = await _server.Certificates(_committee).ListCertificatesAsync(new ListCertificatesRequest());
        var all = await _server.Certificates(await _server.AddPrincipalAsync("platform", Role.Platform)).ListCertificatesAsync(new ListCertificatesRequest());

        Assert.All(own.Certificates, c => Assert.Equal("DL-S01", c.CommitteeCode));
        Assert.Single(own.Certificates);
        Assert.Equal(2, all.Certificates.Count);
    }

    [Fact]
    public async Task ListCertificates_FilterRevoked_PagesThroughOnlyRevoked()
    {
        var request = new BatchIssueCertificatesRequest { RequestId = "session-1", CommitteeCode = "DL-S01" };
        request.Items.Add(Enumerable.Range(1, 9).Select(p => Spec(p)));
        var issued = (await BatchAsync(request)).Certificates;
        foreach (var certificate in issued.Where((_, i) => i % 2 == 0))
        {
            await RevokeAsync(certificate.Number);
        }

        var numbers = new List<string>();
        var list = new ListCertificatesRequest { PageSize = 2, State = CertificateState.Revoked };
        do
        {
            var page = await _server.Certificates(_committee).ListCertificatesAsync(list);
            numbers.AddRange(page.Certificates.Select(c => c.Number));
            list.PageToken = page.NextPageToken;
        }
        while (list.PageToken.Length > 0);

        Assert.Equal(issued.Where((_, i) => i % 2 == 0).Select(c => c.Number), numbers);
    }

    [Fact]
    public async Task IssueCertificate_AfterKeyRotation_IsSignedWithTheNewKey()
    {
        var before = (await IssueAsync(Issue("r1", person: 1))).Certificate;
        var keys = _server.Services.GetRequiredService<KeyManagement>();

        var newKey = await keys.RotateAsync("ECDSA-P256-SHA256", AuditEntry.Local("test", "test"));
        var after = (await IssueAsync(Issue("r2", person: 2))).Certificate;

        var ring = _server.Services.GetRequiredService<KeyRing>();
        Assert.NotEqual(newKey, before.Envelope.Signatures[0].Keyid);
        Assert.Equal(newKey, after.Envelope.Signatures[0].Keyid);
        Assert.True(EnvelopeVerifier.Verify(before.Envelope, PayloadTypes.Certificate, ring.Find).IsValid);
        Assert.True(EnvelopeVerifier.Verify(after.Envelope, PayloadTypes.Certificate, ring.Find).IsValid);
    }
}
