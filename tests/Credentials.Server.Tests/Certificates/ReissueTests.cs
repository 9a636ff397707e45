using Credentials.Core.Envelopes;
using Credentials.Core.Principals;
using Credentials.Server.Tests.Holders;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Google.Rpc;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;
using static Credentials.Server.Tests.Verification.VerificationFixtures;

namespace Credentials.Server.Tests.Certificates;

/// <summary>
/// Version 1 certificates still verify; ReissueCertificate signs one again as version 2 under the same number, as a
/// ledger event and an audited write, for the authority and the issuing committee only.
/// </summary>
public sealed class ReissueTests : SeededServerTest
{
    private Task<ReissueCertificateResponse> ReissueAsync(string number, string token) =>
        Server.Certificates(token).ReissueCertificateAsync(new ReissueCertificateRequest { Number = number, Reason = "持证人申请：旧版二维码含身份证号摘要" }).ResponseAsync;

    [Fact]
    public async Task VersionOneCertificate_VerifiesOnlineByNumberAndByEnvelope()
    {
        var number = await Server.IssueVersionOneAsync(Spec(1));
        var certificate = await Server.GetCertificateAsync(number);

        var byEnvelope = await Server.VerifyEnvelopeAsync(new VerifyEnvelopeRequest { QrText = certificate.QrText });
        var byNumber = await Server.VerifyAsync(number, type: DocumentType.ResidentIdCard, documentNumber: IdNumber(1));

        Assert.Equal(PayloadTypes.CertificateV1, certificate.Envelope.PayloadType);
        Assert.Equal(EnvelopeVerdict.Valid, byEnvelope.Verdict);
        Assert.Contains("document version 1", byEnvelope.Checks[0].Detail, StringComparison.Ordinal);
        Assert.Equal(VerificationResult.Valid, byNumber.Result);
    }

    [Fact]
    public async Task ReissueCertificate_VersionOne_SignsVersionTwoUnderTheSameNumberAndSupersedesTheOld()
    {
        var number = await Server.IssueVersionOneAsync(Spec(1));
        var old = await Server.GetCertificateAsync(number);
        Server.Time.Advance(TimeSpan.FromDays(3));

        var reissued = (await ReissueAsync(number, Committee)).Certificate;

        var document = DocumentOf(reissued);
        var previous = DocumentOf(old);
        Assert.Equal(2, reissued.DocumentVersion);
        Assert.Equal(PayloadTypes.CertificateV2, reissued.Envelope.PayloadType);
        Assert.True(document.HolderDocumentDigest.IsEmpty && document.HolderDocumentSalt.IsEmpty);
        Assert.Equal(Server.Time.GetUtcNow(), reissued.ReissueTime.ToDateTimeOffset());
        Assert.Equal(old.IssueTime, reissued.IssueTime);
        previous.HolderDocumentDigest = previous.HolderDocumentSalt = Google.Protobuf.ByteString.Empty;
        previous.IssuedAt = document.IssuedAt;
        Assert.Equal(previous, document);
        Assert.Equal(EnvelopeVerdict.Valid, (await Server.VerifyEnvelopeAsync(reissued.Envelope)).Verdict);
        var superseded = await Server.VerifyEnvelopeAsync(old.Envelope);
        Assert.Equal(EnvelopeVerdict.NotOnRecord, superseded.Verdict);
        Assert.Contains("was reissued", superseded.Checks.Single(c => c.Step == VerificationStep.Record).Detail, StringComparison.Ordinal);
        Assert.Equal(VerificationResult.Valid, (await Server.VerifyAsync(number)).Result);
    }

    [Fact]
    public async Task ReissueCertificate_IsALedgerEventWithThePseudonymAndAnAuditRecord()
    {
        var number = await Server.IssueVersionOneAsync(Spec(1));
        var issuing = Server.LedgerEvents().Last();

        var reissued = (await ReissueAsync(number, Server.AuthorityToken)).Certificate;

        var change = Server.LedgerEvents().Last();
        Assert.Equal(LedgerEvent.ChangeOneofCase.CertificateReissued, change.ChangeCase);
        Assert.Equal(number, change.CertificateReissued.Number);
        Assert.Equal(reissued.Envelope, change.CertificateReissued.Envelope);
        Assert.Equal(issuing.Sequence, change.CertificateReissued.ReplacesEvent);
        Assert.Equal("持证人申请：旧版二维码含身份证号摘要", change.CertificateReissued.Reason);
        Assert.Equal(32, change.CertificateReissued.HolderPseudonym.Length);
        Assert.Equal("authority", change.Actor);
        var audit = (await Server.Audit(Server.AuthorityToken).ListAuditRecordsAsync(new ListAuditRecordsRequest())).Records[0];
        Assert.Equal(("/credentials.v1.CertificateService/ReissueCertificate", (long)change.Sequence), (audit.Method, audit.FirstEvent));
    }

    [Fact]
    public async Task ReissueCertificate_Twice_ReplacesTheLastDocument()
    {
        var issued = await Server.IssueAsync(Spec(1), Committee);
        var first = (await ReissueAsync(issued.Number, Committee)).Certificate;
        var firstEvent = Server.LedgerEvents().Last().Sequence;
        Server.Time.Advance(TimeSpan.FromMinutes(1));

        var second = (await ReissueAsync(issued.Number, Committee)).Certificate;

        Assert.Equal(firstEvent, Server.LedgerEvents().Last().CertificateReissued.ReplacesEvent);
        Assert.Equal(EnvelopeVerdict.NotOnRecord, (await Server.VerifyEnvelopeAsync(first.Envelope)).Verdict);
        Assert.Equal(EnvelopeVerdict.Valid, (await Server.VerifyEnvelopeAsync(second.Envelope)).Verdict);
        Assert.Equal(second.Envelope, (await Server.Holders(Server.HolderToken(IdNumber(1)))
            .GetMyCertificateAsync(new GetMyCertificateRequest { Number = issued.Number })).Certificate.Envelope);
    }

    [Fact]
    public async Task ReissueCertificate_AnotherCommitteesCertificate_IsPermissionDenied()
    {
        var number = await Server.IssueVersionOneAsync(Spec(1));
        var other = await Server.AddPrincipalAsync("dl-s02", Role.Committee, "DL-S02");

        var error = await Assert.ThrowsAsync<RpcException>(() => ReissueAsync(number, other));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(1, (await Server.GetCertificateAsync(number)).DocumentVersion);
    }

    [Theory]
    [InlineData(Role.Employer)]
    [InlineData(Role.Platform)]
    public async Task ReissueCertificate_OtherRoles_ArePermissionDenied(Role role)
    {
        var number = await Server.IssueVersionOneAsync(Spec(1));

        var token = await Server.AddPrincipalAsync("p", role);

        var error = await Assert.ThrowsAsync<RpcException>(() => ReissueAsync(number, token));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task ReissueCertificate_Revoked_IsFailedPrecondition()
    {
        var issued = await Server.IssueAsync(Spec(1), Committee);
        await Server.RevokeAsync(issued.Number, Committee);

        var error = await Assert.ThrowsAsync<RpcException>(() => ReissueAsync(issued.Number, Committee));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("CERTIFICATE_REVOKED", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task ReissueCertificate_WithoutReason_IsInvalidArgumentNamingIt()
    {
        var issued = await Server.IssueAsync(Spec(1), Committee);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Server.Certificates(Committee).ReissueCertificateAsync(new ReissueCertificateRequest { Number = issued.Number }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["reason"], error.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }
}
