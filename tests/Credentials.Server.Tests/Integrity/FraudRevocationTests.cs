using Credentials.Core.Identity;
using Credentials.Core.Time;
using Credentials.V1;
using Google.Rpc;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;
using static Credentials.Server.Tests.Integrity.IntegrityFixtures;

namespace Credentials.Server.Tests.Integrity;

/// <summary>
/// A revocation for fraud always records the misconduct, in the same transaction, whichever method
/// started it: RevokeCertificate records it, RecordMisconduct revokes. One record, one revocation.
/// </summary>
public sealed class FraudRevocationTests : SeededServerTest
{
    private static RevokeCertificateRequest Revoke(string number, RevocationReason reason = RevocationReason.FalseMaterials, string requestId = "",
        FraudFinding? finding = null, string document = "大人社发〔2024〕40号") => new()
    {
        RequestId = requestId,
        Number = number,
        Revocation = new Revocation { Reason = reason, Details = "经核查属实", DecisionDocument = document, EffectiveDate = Dates.ToProto(DefaultDecision) },
        Misconduct = finding ?? (IsFraud(reason) ? Finding() : null),
    };

    private static bool IsFraud(RevocationReason reason) => Core.Integrity.MisconductTypes.ForRevocation(reason) is not null;

    private Task<RevokeCertificateResponse> RevokeAsync(RevokeCertificateRequest request, string? token = null) =>
        Server.Certificates(token ?? Committee).RevokeCertificateAsync(request).ResponseAsync;

    [Theory]
    [InlineData(RevocationReason.FalseMaterials, MisconductType.FalseMaterials)]
    [InlineData(RevocationReason.Plagiarism, MisconductType.Plagiarism)]
    [InlineData(RevocationReason.ImproperMeans, MisconductType.ImproperMeans)]
    public async Task RevokeCertificate_ForFraud_RecordsTheHoldersMisconductInTheSameTransaction(RevocationReason reason, MisconductType type)
    {
        var issued = await Server.IssueAsync(person: 11, Committee);
        var eventsBefore = Server.LedgerEvents().Count;

        var revoked = (await RevokeAsync(Revoke(issued.Number, reason))).Certificate;

        var events = Server.LedgerEvents().Skip(eventsBefore).ToList();
        Assert.Equal([LedgerEvent.ChangeOneofCase.MisconductRecorded, LedgerEvent.ChangeOneofCase.CertificateRevoked], events.Select(e => e.ChangeCase));
        Assert.Equal(events[0].Time, events[1].Time);
        var record = events[0].MisconductRecorded.Record;
        Assert.Equal((SubjectRole.Applicant, "张伟", IdentityDocument.Mask(IdNumber(11)), "大连市建筑设计研究院"),
            (record.Subject.Role, record.Subject.Name, record.Subject.DocumentMasked, record.Subject.Unit));
        Assert.Equal((type, "申报材料中的业绩证明系伪造，经核查属实", "大人社发〔2024〕40号", "大连市人力资源和社会保障局", DefaultDecision, "DL-S01", "dl-s01"),
            (record.Type, record.Facts, record.DecisionDocument, record.DecidingBody, Dates.ToDateOnly(record.DecisionDate)!.Value, record.CommitteeCode, record.RecordedBy));
        Assert.Equal([issued.Number], record.CertificateNumbers);
        Assert.Equal((CertificateState.Revoked, reason, "经核查属实", record.Id),
            (revoked.State, revoked.Revocation.Reason, revoked.Revocation.Details, revoked.Revocation.MisconductRecordId));
        Assert.Equal(1, Server.Count("misconduct_records"));
    }

    [Fact]
    public async Task RevokeCertificate_ForFraud_BarsTheHolderAndShowsInTheirStatus()
    {
        var issued = await Server.IssueAsync(person: 12, Committee);

        await RevokeAsync(Revoke(issued.Number));
        var status = await Server.StatusAsync(person: 12);
        var again = await Assert.ThrowsAsync<RpcException>(() => Server.IssueAsync(person: 12, Committee));

        Assert.True(status.HasActiveRecord);
        Assert.Equal([MisconductType.FalseMaterials], status.Categories);
        Assert.Equal(issued.Number, Assert.Single(Assert.Single(status.Records).CertificateNumbers));
        Assert.Equal("ACTIVE_MISCONDUCT_RECORD", again.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task RevokeCertificate_ForFraud_IsOneAuditedWrite()
    {
        var issued = await Server.IssueAsync(person: 13, Committee);

        await RevokeAsync(Revoke(issued.Number));

        var audit = Assert.Single((await Server.Audit(Server.AuthorityToken).ListAuditRecordsAsync(
            new ListAuditRecordsRequest { Method = "/credentials.v1.CertificateService/RevokeCertificate" })).Records);
        Assert.Equal(("dl-s01", 1L), (audit.Principal, audit.LastEvent - audit.FirstEvent));
    }

    [Theory]
    [InlineData(RevocationReason.IssuedInError)]
    [InlineData(RevocationReason.Other)]
    public async Task RevokeCertificate_NotFraud_RecordsNothing(RevocationReason reason)
    {
        var issued = await Server.IssueAsync(person: 14, Committee);
        var eventsBefore = Server.LedgerEvents().Count;

        var revoked = (await RevokeAsync(Revoke(issued.Number, reason))).Certificate;

        Assert.Equal([LedgerEvent.ChangeOneofCase.CertificateRevoked], Server.LedgerEvents().Skip(eventsBefore).Select(e => e.ChangeCase));
        Assert.Equal("", revoked.Revocation.MisconductRecordId);
        Assert.Equal(0, Server.Count("misconduct_records"));
        Assert.False((await Server.StatusAsync(person: 14)).HasActiveRecord);
    }

    [Fact]
    public async Task RevokeCertificate_NotFraudWithAFinding_IsInvalid()
    {
        var issued = await Server.IssueAsync(person: 15, Committee);

        var error = await Assert.ThrowsAsync<RpcException>(() => RevokeAsync(Revoke(issued.Number, RevocationReason.IssuedInError, finding: Finding())));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("misconduct", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task RevokeCertificate_FraudWithoutAFinding_NamesTheFieldsAndWritesNothing()
    {
        var issued = await Server.IssueAsync(person: 16, Committee);
        var eventsBefore = Server.LedgerEvents().Count;

        var error = await Assert.ThrowsAsync<RpcException>(() => RevokeAsync(Revoke(issued.Number, finding: new FraudFinding { Unit = "大连理工大学" })));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["misconduct.facts", "misconduct.deciding_body"], error.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.Equal(eventsBefore, Server.LedgerEvents().Count);
        Assert.Equal(CertificateState.Valid, (await Server.GetCertificateAsync(issued.Number)).State);
    }

    [Fact]
    public async Task RevokeCertificate_EffectiveBeforeQualification_NamesTheRevocationDateAndWritesNothing()
    {
        var issued = await Server.IssueAsync(person: 17, Committee);
        var request = Revoke(issued.Number);
        request.Revocation.EffectiveDate = Dates.ToProto(new DateOnly(2024, 11, 30));

        var error = await Assert.ThrowsAsync<RpcException>(() => RevokeAsync(request));

        Assert.Equal("revocation.effective_date", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Equal(0, Server.Count("misconduct_records"));
    }

    [Fact]
    public async Task RevokeCertificate_AlreadyRevokedByARecord_RecordsNoSecond()
    {
        var issued = await Server.IssueAsync(person: 18, Committee);
        var record = await Server.RecordAsync(Record(person: 18, certificates: issued.Number));

        var error = await Assert.ThrowsAsync<RpcException>(() => RevokeAsync(Revoke(issued.Number)));

        Assert.Equal("CERTIFICATE_ALREADY_REVOKED", error.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(1, Server.Count("misconduct_records"));
        Assert.Equal(record.Id, (await Server.GetCertificateAsync(issued.Number)).Revocation.MisconductRecordId);
    }

    [Fact]
    public async Task RecordMisconduct_NamingACertificate_RevokesItOnceWithTheRecord()
    {
        var issued = await Server.IssueAsync(person: 19, Committee);
        var eventsBefore = Server.LedgerEvents().Count;

        var record = await Server.RecordAsync(Record(person: 19, type: MisconductType.Plagiarism, certificates: issued.Number));
        var again = await Assert.ThrowsAsync<RpcException>(() => RevokeAsync(Revoke(issued.Number, RevocationReason.Plagiarism)));

        var certificate = await Server.GetCertificateAsync(issued.Number);
        Assert.Equal([LedgerEvent.ChangeOneofCase.MisconductRecorded, LedgerEvent.ChangeOneofCase.CertificateRevoked],
            Server.LedgerEvents().Skip(eventsBefore).Select(e => e.ChangeCase));
        Assert.Equal((RevocationReason.Plagiarism, record.Id), (certificate.Revocation.Reason, certificate.Revocation.MisconductRecordId));
        Assert.Equal("CERTIFICATE_ALREADY_REVOKED", again.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(1, Server.Count("misconduct_records"));
        Assert.Equal(1, Server.Count("revocations"));
    }

    [Fact]
    public async Task RevokeCertificate_SameRequestIdTwice_RevokesAndRecordsOnce()
    {
        var issued = await Server.IssueAsync(person: 20, Committee);

        var first = (await RevokeAsync(Revoke(issued.Number, requestId: "revoke-20"))).Certificate;
        var events = Server.LedgerEvents().Count;
        var second = (await RevokeAsync(Revoke(issued.Number, requestId: "revoke-20"))).Certificate;
        var reused = await Assert.ThrowsAsync<RpcException>(() => RevokeAsync(Revoke(issued.Number, requestId: "revoke-20", document: "大人社发〔2024〕41号")));

        Assert.Equal(first, second);
        Assert.Equal(events, Server.LedgerEvents().Count);
        Assert.Equal(1, Server.Count("misconduct_records"));
        Assert.Equal("REQUEST_ID_REUSED", reused.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task RevokeCertificate_ByTheAuthority_RecordsUnderTheIssuingCommittee()
    {
        var issued = await Server.IssueAsync(person: 21, Committee);

        var revoked = (await RevokeAsync(Revoke(issued.Number), Server.AuthorityToken)).Certificate;
        var committeeSees = await Server.ListAsync(new ListMisconductRequest(), Committee);

        var record = Assert.Single(committeeSees.Records);
        Assert.Equal((revoked.Revocation.MisconductRecordId, "DL-S01", "authority"), (record.Id, record.CommitteeCode, record.RecordedBy));
    }
}
