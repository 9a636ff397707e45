using System.Security.Cryptography;
using System.Text;
using Credentials.Core.Identity;
using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.V1;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;
using static Credentials.Server.Tests.Integrity.IntegrityFixtures;

namespace Credentials.Server.Tests.Integrity;

public sealed class IntegrityServiceTests : SeededServerTest
{

    [Fact]
    public async Task RecordMisconduct_Authority_StoresTheRecordActiveWithAnId()
    {
        var record = await Server.RecordAsync(Record(person: 1));

        Assert.Equal("MR-2024-000001", record.Id);
        Assert.Equal(MisconductState.Active, record.State);
        Assert.Equal(new DateOnly(2027, 12, 18), Dates.ToDateOnly(record.ActiveUntil));
        Assert.Equal(("张伟", IdentityDocument.Mask(IdNumber(1)), ""), (record.Subject.Name, record.Subject.DocumentMasked, record.Subject.DocumentNumber));
        Assert.Equal(("authority", Server.Time.GetUtcNow()), (record.RecordedBy, record.RecordTime.ToDateTimeOffset()));
        Assert.Equal("MR-2024-000002", (await Server.RecordAsync(Record(person: 2))).Id);
    }

    [Fact]
    public async Task RecordMisconduct_LedgerEvent_HoldsTheKeyedPseudonymNeverTheIdNumberOrAPlainDigest()
    {
        var record = await Server.RecordAsync(Record(person: 1));

        var change = Server.LedgerEvents()[^1];
        var bytes = Encoding.Latin1.GetString(change.ToByteArray());
        var digest = Server.Services.GetRequiredService<HolderDigests>().Lookup(DocumentType.ResidentIdCard, IdNumber(1));
        Assert.Equal(LedgerEvent.ChangeOneofCase.MisconductRecorded, change.ChangeCase);
        Assert.Equal(record.Id, change.MisconductRecorded.Record.Id);
        Assert.Equal(IdentityDocument.Mask(IdNumber(1)), change.MisconductRecorded.Record.Subject.DocumentMasked);
        Assert.Equal(digest, change.MisconductRecorded.SubjectPseudonym.ToByteArray());
        Assert.DoesNotContain(IdNumber(1), bytes, StringComparison.Ordinal);
        Assert.DoesNotContain(Encoding.Latin1.GetString(SHA256.HashData(Encoding.UTF8.GetBytes(IdNumber(1)))), bytes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordMisconduct_FraudNamingCertificates_RevokesThemInTheSameTransaction()
    {
        var first = await Server.IssueAsync(person: 3, Committee);
        var eventsBefore = Server.LedgerEvents().Count;

        var record = await Server.RecordAsync(Record(person: 3, type: MisconductType.UntrueDeclaration, certificates: first.Number));

        var certificate = await Server.GetCertificateAsync(first.Number);
        Assert.Equal(CertificateState.Revoked, certificate.State);
        Assert.Equal((RevocationReason.ImproperMeans, "大人社发〔2024〕40号", record.Id, DefaultDecision),
            (certificate.Revocation.Reason, certificate.Revocation.DecisionDocument, certificate.Revocation.MisconductRecordId,
             Dates.ToDateOnly(certificate.Revocation.EffectiveDate)!.Value));
        Assert.Contains("承诺不实", certificate.Revocation.Details, StringComparison.Ordinal);
        var events = Server.LedgerEvents().Skip(eventsBefore).Select(e => e.ChangeCase);
        Assert.Equal([LedgerEvent.ChangeOneofCase.MisconductRecorded, LedgerEvent.ChangeOneofCase.CertificateRevoked], events);
        Assert.Equal([first.Number], record.CertificateNumbers);
    }

    [Fact]
    public async Task RecordMisconduct_SecondCertificateAlreadyRevoked_WritesNothing()
    {
        // The record and the first revocation are written before the second fails: all must vanish.
        var revoked = await Server.IssueAsync(person: 4, Committee);
        await Server.Certificates(Server.AuthorityToken).RevokeCertificateAsync(new RevokeCertificateRequest
        {
            Number = revoked.Number,
            Revocation = new Revocation { Reason = RevocationReason.IssuedInError, DecisionDocument = "大人社函〔2024〕9号" },
        });
        var valid = await Server.IssueAsync(person: 4, Committee);
        var eventsBefore = Server.LedgerEvents().Count;

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RecordAsync(Record(person: 4, certificates: [valid.Number, revoked.Number])));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("CERTIFICATE_ALREADY_REVOKED", error.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(CertificateState.Valid, (await Server.GetCertificateAsync(valid.Number)).State);
        Assert.Equal(eventsBefore, Server.LedgerEvents().Count);
        Assert.Equal(0, Server.Count("misconduct_records"));
        Assert.Equal(0, Server.Count("misconduct_certificates"));
        Assert.False((await Server.StatusAsync(4)).HasActiveRecord);
        Assert.Equal("MR-2024-000001", (await Server.RecordAsync(Record(person: 4, certificates: valid.Number))).Id);
    }

    [Fact]
    public async Task RecordMisconduct_CertificateOfAnotherHolder_IsRefusedAndNothingIsWritten()
    {
        var own = await Server.IssueAsync(person: 5, Committee);
        var other = await Server.IssueAsync(person: 6, Committee);
        var eventsBefore = Server.LedgerEvents().Count;

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RecordAsync(Record(person: 5, certificates: [own.Number, other.Number])));

        Assert.Equal("CERTIFICATE_HOLDER_MISMATCH", error.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal("record.certificate_numbers[1]", error.GetDetail<ErrorInfo>()!.Metadata["field"]);
        Assert.Equal(CertificateState.Valid, (await Server.GetCertificateAsync(own.Number)).State);
        Assert.Equal(eventsBefore, Server.LedgerEvents().Count);
    }

    [Fact]
    public async Task RecordMisconduct_MissingCertificate_IsNotFound()
    {
        var missing = Core.Certificates.CertificateNumber.Format("DL-S01", 2024, 999);

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RecordAsync(Record(person: 1, certificates: missing)));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(0, Server.Count("misconduct_records"));
    }

    [Fact]
    public async Task RecordMisconduct_RevocationBeforeQualification_BlamesTheDecisionDate()
    {
        var certificate = await Server.IssueAsync(person: 1, Committee);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Server.RecordAsync(Record(person: 1, decided: new DateOnly(2024, 11, 1), certificates: certificate.Number)));

        Assert.Equal("record.decision_date", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
        Assert.Equal(0, Server.Count("misconduct_records"));
    }

    [Fact]
    public async Task RecordMisconduct_Committee_RecordIsNamedForIt()
    {
        var record = await Server.RecordAsync(Record(person: 1, type: MisconductType.ReviewDisciplineBreach, role: SubjectRole.Expert), Committee);

        Assert.Equal(("DL-S01", "dl-s01"), (record.CommitteeCode, record.RecordedBy));
        Assert.Equal("DL-S01", Server.LedgerEvents()[^1].CommitteeCode);
    }

    [Fact]
    public async Task RecordMisconduct_CommitteeNamingAnotherCommittee_IsPermissionDenied()
    {
        var foreign = Record(person: 1);
        foreign.CommitteeCode = "DL-S02";

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RecordAsync(foreign, Committee));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task RecordMisconduct_CommitteeNamingAnotherCommitteesCertificate_IsPermissionDeniedAndNothingIsWritten()
    {
        var number = (await Server.Certificates(Server.AuthorityToken).IssueCertificateAsync(
            Issue("r-s02", person: 2, committee: "DL-S02", specialty: "计量"))).Certificate.Number;

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RecordAsync(Record(person: 2, certificates: number), Committee));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(CertificateState.Valid, (await Server.GetCertificateAsync(number)).State);
        Assert.Equal(0, Server.Count("misconduct_records"));
    }

    [Fact]
    public async Task RecordMisconduct_UnknownCommittee_IsNotFound()
    {
        var record = Record(person: 1);
        record.CommitteeCode = "XX-99";

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RecordAsync(record));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task RecordMisconduct_SameRequestTwice_RecordsOnce()
    {
        var first = await Server.RecordAsync(Record(person: 1), requestId: "r1");
        var second = await Server.RecordAsync(Record(person: 1), requestId: "r1");

        Assert.Equal(first, second);
        Assert.Equal(1, Server.Count("misconduct_records"));
    }

    [Fact]
    public async Task RecordMisconduct_RequestIdWithOtherContent_IsAlreadyExists()
    {
        await Server.RecordAsync(Record(person: 1), requestId: "r1");

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RecordAsync(Record(person: 2), requestId: "r1"));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal("REQUEST_ID_REUSED", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task RecordMisconduct_EveryFieldInvalid_NamesEveryField()
    {
        var request = new RecordMisconductRequest
        {
            RequestId = "bad id!",
            Record = new MisconductRecord
            {
                Subject = new Subject { Role = (SubjectRole)7, Name = "", DocumentType = (DocumentType)99, Unit = new string('单', 101) },
                Type = MisconductType.Unspecified,
                OtherType = "x",
                Facts = "",
                DecisionDocument = "a\u0000b",
                DecidingBody = "",
                DecisionDate = Dates.ToProto(ChinaCalendar.Today(Server.Time).AddDays(1)),
                CommitteeCode = "D",
                CertificateNumbers = { "not a number" },
            },
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.Integrity(Server.AuthorityToken).RecordMisconductAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(
        [
            "request_id", "record.subject.role", "record.subject.name", "record.subject.document_type", "record.subject.unit", "record.type",
            "record.other_type", "record.facts", "record.decision_document", "record.deciding_body", "record.decision_date",
            "record.committee_code", "record.certificate_numbers", "record.certificate_numbers[0]",
        ], error.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        Assert.Equal(0, Server.Count("misconduct_records"));
    }

    [Fact]
    public async Task RecordMisconduct_BadDocumentNumber_IsNamed()
    {
        var record = Record(person: 1);
        record.Subject.DocumentNumber = IdNumber(1)[..17] + (IdNumber(1)[17] == '0' ? '1' : '0');

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RecordAsync(record));

        Assert.Equal("record.subject.document_number", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task RescindMisconduct_Authority_AppendsTheRescissionAndKeepsTheRecord()
    {
        var record = await Server.RecordAsync(Record(person: 1));
        Server.Time.Advance(TimeSpan.FromDays(30));

        var rescinded = await Server.RescindAsync(record.Id);

        Assert.Equal(MisconductState.Rescinded, rescinded.State);
        Assert.Equal(("行政复议撤销原认定", "大人社复决〔2025〕2号", ChinaCalendar.Today(Server.Time), "authority"),
            (rescinded.Rescission.Reason, rescinded.Rescission.DecisionDocument, Dates.ToDateOnly(rescinded.Rescission.DecisionDate)!.Value, rescinded.Rescission.RecordedBy));
        Assert.Equal(record.Facts, rescinded.Facts);
        var change = Server.LedgerEvents()[^1];
        Assert.Equal((record.Id, rescinded.Rescission), (change.MisconductRescinded.RecordId, change.MisconductRescinded.Rescission));
        var status = await Server.StatusAsync(1);
        Assert.False(status.HasActiveRecord);
        Assert.Equal(rescinded, Assert.Single(status.Records));
    }

    [Fact]
    public async Task RescindMisconduct_Twice_IsFailedPrecondition()
    {
        var record = await Server.RecordAsync(Record(person: 1));
        await Server.RescindAsync(record.Id);

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RescindAsync(record.Id));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("MISCONDUCT_ALREADY_RESCINDED", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task RescindMisconduct_RevokedCertificates_StayRevoked()
    {
        var certificate = await Server.IssueAsync(person: 1, Committee);
        var record = await Server.RecordAsync(Record(person: 1, certificates: certificate.Number));

        await Server.RescindAsync(record.Id);

        Assert.Equal(CertificateState.Revoked, (await Server.GetCertificateAsync(certificate.Number)).State);
    }

    [Fact]
    public async Task RescindMisconduct_DatedBeforeTheDecision_IsInvalid()
    {
        var record = await Server.RecordAsync(Record(person: 1));

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RescindAsync(record.Id, DefaultDecision.AddDays(-1)));

        Assert.Equal("rescission.decision_date", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task RescindMisconduct_UnknownOrMalformedId_IsNotFoundOrInvalid()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() => Server.RescindAsync("MR-2024-000042"));
        var malformed = await Assert.ThrowsAsync<RpcException>(() => Server.RescindAsync("42"));

        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Equal("id", Assert.Single(malformed.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task ListMisconduct_Filters_SelectByRoleTypeStateAndDate()
    {
        var fraud = await Server.RecordAsync(Record(person: 1));
        var expert = await Server.RecordAsync(Record(person: 2, type: MisconductType.ReviewDisciplineBreach, role: SubjectRole.Expert, decided: new DateOnly(2024, 6, 1)));
        var historical = await Server.RecordAsync(Record(person: 3, decided: new DateOnly(2020, 5, 1)));
        var rescinded = await Server.RescindAsync((await Server.RecordAsync(Record(person: 4, type: MisconductType.Plagiarism))).Id);

        async Task<IEnumerable<string>> Ids(ListMisconductRequest request) => (await Server.ListAsync(request)).Records.Select(r => r.Id);

        Assert.Equal([fraud.Id, expert.Id], await Ids(new ListMisconductRequest { State = MisconductState.Active }));
        Assert.Equal([historical.Id], await Ids(new ListMisconductRequest { State = MisconductState.Expired }));
        Assert.Equal([rescinded.Id], await Ids(new ListMisconductRequest { State = MisconductState.Rescinded }));
        Assert.Equal([expert.Id], await Ids(new ListMisconductRequest { Role = SubjectRole.Expert }));
        Assert.Equal([rescinded.Id], await Ids(new ListMisconductRequest { Type = MisconductType.Plagiarism }));
        Assert.Equal([expert.Id, historical.Id], await Ids(new ListMisconductRequest
        {
            DecisionDateFrom = Dates.ToProto(new DateOnly(2020, 5, 1)),
            DecisionDateUntil = Dates.ToProto(new DateOnly(2024, 6, 1)),
        }));
        Assert.Equal(MisconductState.Expired, historical.State);
    }

    [Fact]
    public async Task ListMisconduct_SmallPages_PageThroughEveryRecordOnce()
    {
        for (var person = 1; person <= 5; person++)
        {
            await Server.RecordAsync(Record(person));
        }

        var ids = new List<string>();
        var request = new ListMisconductRequest { PageSize = 2, Role = SubjectRole.Applicant };
        do
        {
            var page = await Server.ListAsync(request);
            ids.AddRange(page.Records.Select(r => r.Id));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"MR-2024-{i:D6}"), ids);
    }

    [Fact]
    public async Task ListMisconduct_InvalidFilters_AreNamed()
    {
        var request = new ListMisconductRequest
        {
            PageSize = -1,
            Role = (SubjectRole)9,
            Type = (MisconductType)99,
            CommitteeCode = "a b",
            State = (MisconductState)7,
            DecisionDateFrom = Dates.ToProto(new DateOnly(2024, 6, 2)),
            DecisionDateUntil = Dates.ToProto(new DateOnly(2024, 6, 1)),
            PageToken = "garbage",
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.ListAsync(request));

        Assert.Equal(["page_size", "role", "type", "state", "committee_code", "decision_date_until", "page_token"],
            error.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task GetIntegrityStatus_InvalidInput_IsNamed()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.Integrity(Server.AuthorityToken).GetIntegrityStatusAsync(
            new GetIntegrityStatusRequest { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = "123", Role = (SubjectRole)5 }).ResponseAsync);

        Assert.Equal(["document_number", "role"], error.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }
}
