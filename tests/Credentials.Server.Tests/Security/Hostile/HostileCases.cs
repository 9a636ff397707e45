using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Server.Tests.Certificates;
using Credentials.Server.Tests.Holders;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Credentials.Server.Tests.Security.Hostile;

/// <summary>
/// What the valid requests refer to: seeded committees, tokens, an issued certificate, a misconduct record, the
/// certificate's holder signed in and a share code of theirs.
/// </summary>
public sealed record HostileContext(TestServer Server, string CommitteeToken, string PlatformToken, string EmployerToken,
    string CertificateNumber, string RevocableNumber, string RecordId, string CertificateQrText)
{
    public string AuthorityToken => Server.AuthorityToken;

    /// <summary>The holder of <see cref="CertificateNumber"/>.</summary>
    public string HolderToken { get; init; } = "";

    /// <summary>A share code of <see cref="CertificateNumber"/>, and its id.</summary>
    public string ShareCode { get; init; } = "";

    public long ShareCodeId { get; init; }

    public static async Task<HostileContext> CreateAsync(TestServer server)
    {
        await server.SeedDalianCommitteesAsync();
        var committee = await server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");
        var certificate = await server.IssueAsync(1, committee);
        var revocable = await server.IssueAsync(2, committee);
        var record = await server.RecordAsync(IntegrityFixtures.Record(person: 9, type: MisconductType.Plagiarism));
        // RestoreCommittee needs a suspended committee.
        await server.Committees(server.AuthorityToken).SuspendCommitteeAsync(
            new SuspendCommitteeRequest { Code = "DL-S03", Reason = "整改", DecisionDocument = "大人社函〔2024〕1号" });
        var holder = server.HolderToken(CertificateFixtures.IdNumber(1));
        var shared = await server.ShareAsync(holder, certificate.Number);
        return new HostileContext(server, committee, await server.AddPrincipalAsync("platform", Role.Platform),
            await server.AddPrincipalAsync("employer", Role.Employer), certificate.Number, revocable.Number, record.Id, certificate.QrText)
        {
            HolderToken = holder,
            ShareCode = shared.Code,
            ShareCodeId = shared.ShareCode.Id,
        };
    }
}

/// <summary>
/// Every method of the contract that takes one request, with a valid request and how to call it on the generated
/// client. A new method gets a case here (<see cref="HostileInputTests"/> checks that none is missing).
/// </summary>
public static class HostileCases
{
    private static readonly HashSet<string> None = [];

    private static readonly HashSet<string> CommitteeOutputs =
        ["committee.state", "committee.last_state_change", "committee.create_time", "committee.update_time", "committee.accreditation_status",
         "committee.accreditations", "committee.scope_history"];

    private static readonly HashSet<string> RevocationOutputs =
        ["revocation.record_time", "revocation.recorded_by", "revocation.misconduct_record_id"];

    private static readonly HashSet<string> RecordOutputs =
        ["record.id", "record.active_until", "record.state", "record.rescission", "record.record_time", "record.recorded_by", "record.subject.document_masked"];

    public static IReadOnlyList<HostileCase> All { get; } =
    [
        Case((server, token, request) => server.Diagnostics(token).PingAsync(request), _ => new PingRequest(), _ => null),
        Case((server, token, request) => server.Diagnostics(token).GetCallStatisticsAsync(request), _ => new GetCallStatisticsRequest(), c => c.AuthorityToken),

        Case((server, token, request) => server.Committees(token).CreateCommitteeAsync(request), _ => new CreateCommitteeRequest
        {
            RequestId = "hostile-1",
            Committee = new Committee
            {
                Code = "SX-S01", Name = "山西省工程系列高级职称评审委员会", Organizer = "山西省人社厅", Region = "山西省", Series = "工程系列",
                Specialties = { "建筑工程" }, Levels = { TitleLevel.DeputySenior }, MeetingSchedule = "10月下旬",
                AccreditedFrom = Dates.ToProto(new DateOnly(2024, 1, 1)), AccreditedUntil = Dates.ToProto(new DateOnly(2026, 12, 31)),
            },
        }, c => c.AuthorityToken, CommitteeOutputs),
        Case((server, token, request) => server.Committees(token).GetCommitteeAsync(request),
            _ => new GetCommitteeRequest { Code = "DL-S01" }, c => c.AuthorityToken),
        Case((server, token, request) => server.Committees(token).ListCommitteesAsync(request),
            _ => new ListCommitteesRequest { PageSize = 5, Series = "工程系列", State = CommitteeState.Active }, c => c.AuthorityToken),
        Case((server, token, request) => server.Committees(token).SuspendCommitteeAsync(request),
            _ => new SuspendCommitteeRequest { Code = "DL-S02", Reason = "评审工作不规范", DecisionDocument = "大人社函〔2024〕8号", EffectiveDate = Dates.ToProto(new DateOnly(2024, 12, 1)) },
            c => c.AuthorityToken),
        Case((server, token, request) => server.Committees(token).RestoreCommitteeAsync(request),
            _ => new RestoreCommitteeRequest { Code = "DL-S03", Reason = "整改完成", DecisionDocument = "大人社函〔2024〕9号", EffectiveDate = Dates.ToProto(new DateOnly(2024, 12, 1)) },
            c => c.AuthorityToken),
        Case((server, token, request) => server.Committees(token).UpdateCommitteeScopeAsync(request), _ => new UpdateCommitteeScopeRequest
        {
            RequestId = "hostile-scope", Code = "DL-S05",
            Scope = new CommitteeScope
            {
                Series = "工程系列", Specialties = { "物流", "交通运输" }, Levels = { TitleLevel.DeputySenior }, DecisionDocument = "大人社函〔2024〕11号",
                EffectiveDate = Dates.ToProto(new DateOnly(2024, 12, 1)),
            },
        }, c => c.AuthorityToken, ["scope.record_time", "scope.recorded_by"]),
        Case((server, token, request) => server.Committees(token).RenewCommitteeAccreditationAsync(request), _ => new RenewCommitteeAccreditationRequest
        {
            RequestId = "hostile-renew", Code = "DL-S06",
            Accreditation = new Accreditation
            {
                ValidFrom = Dates.ToProto(new DateOnly(2027, 1, 1)), ValidUntil = Dates.ToProto(new DateOnly(2029, 12, 31)), DecisionDocument = "大人社函〔2024〕12号",
            },
        }, c => c.AuthorityToken, ["accreditation.record_time", "accreditation.recorded_by"]),
        Case((server, token, request) => server.Committees(token).WithdrawCommitteeAuthorityAsync(request),
            _ => new WithdrawCommitteeAuthorityRequest { Code = "DL-S04", Reason = "情节严重", DecisionDocument = "大人社发〔2024〕30号", EffectiveDate = Dates.ToProto(new DateOnly(2024, 12, 1)) },
            c => c.AuthorityToken),

        Case((server, token, request) => server.Certificates(token).IssueCertificateAsync(request),
            _ => CertificateFixtures.Issue("hostile-issue", person: 20), c => c.CommitteeToken, ["spec.holder.document_masked"]),
        Case((server, token, request) => server.Certificates(token).BatchIssueCertificatesAsync(request), _ => new BatchIssueCertificatesRequest
        {
            RequestId = "hostile-batch", CommitteeCode = "DL-S01", ReviewedCount = 10, Items = { CertificateFixtures.Spec(21), CertificateFixtures.Spec(22) },
        }, c => c.CommitteeToken, ["items[0].holder.document_masked"]),
        Case((server, token, request) => server.Certificates(token).GetCertificateAsync(request),
            c => new GetCertificateRequest { Number = c.CertificateNumber }, c => c.AuthorityToken),
        Case((server, token, request) => server.Certificates(token).ListCertificatesAsync(request), _ => new ListCertificatesRequest
        {
            PageSize = 5, CommitteeCode = "DL-S01", ReviewYear = 2024, State = CertificateState.Valid, Level = TitleLevel.DeputySenior,
        }, c => c.PlatformToken),
        Case((server, token, request) => server.Certificates(token).RevokeCertificateAsync(request), c => new RevokeCertificateRequest
        {
            RequestId = "hostile-revoke",
            Number = c.RevocableNumber,
            Revocation = new Revocation
            {
                Reason = RevocationReason.FalseMaterials, Details = "业绩材料系伪造", DecisionDocument = "大人社发〔2024〕40号",
                EffectiveDate = Dates.ToProto(new DateOnly(2024, 12, 10)),
            },
            Misconduct = CertificateFixtures.Finding(),
        }, c => c.CommitteeToken, RevocationOutputs),
        Case((server, token, request) => server.Certificates(token).ReissueCertificateAsync(request),
            c => new ReissueCertificateRequest { Number = c.CertificateNumber, Reason = "持证人申请：旧版二维码含身份证号摘要" }, c => c.CommitteeToken),

        Case((server, token, request) => server.Integrity(token).RecordMisconductAsync(request),
            _ => new RecordMisconductRequest { RequestId = "hostile-record", Record = IntegrityFixtures.Record(person: 30, type: MisconductType.Other) },
            c => c.AuthorityToken, RecordOutputs),
        Case((server, token, request) => server.Integrity(token).RescindMisconductAsync(request), c => new RescindMisconductRequest
        {
            Id = c.RecordId,
            Rescission = new Rescission { Reason = "行政复议撤销原认定", DecisionDocument = "大人社复决〔2025〕2号", DecisionDate = Dates.ToProto(new DateOnly(2024, 12, 19)) },
        }, c => c.AuthorityToken, ["rescission.record_time", "rescission.recorded_by"]),
        Case((server, token, request) => server.Integrity(token).GetIntegrityStatusAsync(request), _ => new GetIntegrityStatusRequest
        {
            DocumentType = DocumentType.ResidentIdCard, DocumentNumber = CertificateFixtures.IdNumber(9), Role = SubjectRole.Applicant,
        }, c => c.PlatformToken),
        Case((server, token, request) => server.Integrity(token).ListMisconductAsync(request), _ => new ListMisconductRequest
        {
            PageSize = 5, Role = SubjectRole.Applicant, Type = MisconductType.Plagiarism, CommitteeCode = "DL-S01", State = MisconductState.Active,
            DecisionDateFrom = Dates.ToProto(new DateOnly(2024, 1, 1)), DecisionDateUntil = Dates.ToProto(new DateOnly(2024, 12, 31)),
        }, c => c.PlatformToken),

        Case((server, token, request) => server.Verification(token).VerifyCertificateAsync(request), c => new VerifyCertificateRequest
        {
            Number = c.CertificateNumber, HolderName = "张伟", DocumentType = DocumentType.ResidentIdCard, DocumentNumber = CertificateFixtures.IdNumber(1),
        }, _ => null),
        Case((server, token, request) => server.Verification(token).VerifyEnvelopeAsync(request),
            c => new VerifyEnvelopeRequest { QrText = c.CertificateQrText }, c => c.EmployerToken),
        Case((server, token, request) => server.Verification(token).VerifyShareCodeAsync(request), c => new VerifyShareCodeRequest { Code = c.ShareCode }, _ => null),
        Case((server, token, request) => server.Verification(token).ListSigningKeysAsync(request), _ => new ListSigningKeysRequest(), _ => null),
        Case((server, token, request) => server.Verification(token).ListVerificationsAsync(request), c => new ListVerificationsRequest
        {
            PageSize = 5, CertificateNumber = c.CertificateNumber, Principal = "employer",
        }, c => c.PlatformToken),

        Case((server, token, request) => server.Audit(token).ListAuditRecordsAsync(request), _ => new ListAuditRecordsRequest
        {
            PageSize = 5, Principal = "dl-s01", Method = "/credentials.v1.CertificateService/IssueCertificate",
            StartTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            EndTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        }, c => c.AuthorityToken),

        Case((server, token, request) => server.Ledger(token).GetCheckpointAsync(request), _ => new GetCheckpointRequest(), _ => null),
        Case((server, token, request) => server.Ledger(token).GetInclusionProofAsync(request),
            c => new GetInclusionProofRequest { CertificateNumber = c.CertificateNumber }, c => c.PlatformToken),
        Case((server, token, request) => server.Ledger(token).GetConsistencyProofAsync(request),
            _ => new GetConsistencyProofRequest { FirstTreeSize = 3, SecondTreeSize = 7 }, _ => null),
        Streaming((server, token, request) => server.Ledger(token).StreamEvents(request), _ => new StreamEventsRequest
        {
            StartIndex = 1, EventTypes = { LedgerEventType.CertificateIssued }, CommitteeCode = "DL-S01", ReviewYear = 2024, BatchSize = 100,
        }, c => c.PlatformToken),
        Case((server, token, request) => server.Ledger(token).GetStatisticsAsync(request),
            _ => new GetStatisticsRequest { ReviewYear = 2024, CommitteeCode = "DL-S01" }, c => c.PlatformToken),

        Case((server, token, request) => server.Holders(token).GetMeAsync(request), _ => new GetMeRequest(), c => c.HolderToken),
        Case((server, token, request) => server.Holders(token).ListMyCertificatesAsync(request), _ => new ListMyCertificatesRequest { PageSize = 5 }, c => c.HolderToken),
        Case((server, token, request) => server.Holders(token).GetMyCertificateAsync(request),
            c => new GetMyCertificateRequest { Number = c.CertificateNumber }, c => c.HolderToken),
        Case((server, token, request) => server.Holders(token).CreateShareCodeAsync(request), c => new CreateShareCodeRequest
        {
            CertificateNumber = c.CertificateNumber, ValidityDays = 30, Purpose = "应聘 XX 公司", IncludeIntegrity = true,
        }, c => c.HolderToken),
        Case((server, token, request) => server.Holders(token).ListShareCodesAsync(request),
            c => new ListShareCodesRequest { PageSize = 5, CertificateNumber = c.CertificateNumber }, c => c.HolderToken),
        Case((server, token, request) => server.Holders(token).RevokeShareCodeAsync(request), c => new RevokeShareCodeRequest { Id = c.ShareCodeId }, c => c.HolderToken),
        Case((server, token, request) => server.Holders(token).ListMyLookupsAsync(request),
            c => new ListMyLookupsRequest { PageSize = 5, CertificateNumber = c.CertificateNumber }, c => c.HolderToken),
        Case((server, token, request) => server.Holders(token).GetMyIntegrityRecordAsync(request), _ => new GetMyIntegrityRecordRequest(), c => c.HolderToken),
    ];

    private static HostileCase Case<TRequest, TResponse>(Func<TestServer, string?, TRequest, AsyncUnaryCall<TResponse>> call,
        Func<HostileContext, TRequest> request, Func<HostileContext, string?> token, HashSet<string>? ignored = null)
        where TRequest : IMessage<TRequest> =>
        new(Contract.MethodTaking<TRequest>(), c => request(c), token, ignored ?? None,
            async (server, caller, message) => await call(server, caller, (TRequest)message));

    /// <summary>A server-streaming method, read to its end: a refusal may come after the first messages.</summary>
    private static HostileCase Streaming<TRequest, TResponse>(Func<TestServer, string?, TRequest, AsyncServerStreamingCall<TResponse>> call,
        Func<HostileContext, TRequest> request, Func<HostileContext, string?> token, HashSet<string>? ignored = null)
        where TRequest : IMessage<TRequest> =>
        new(Contract.MethodTaking<TRequest>(), c => request(c), token, ignored ?? None, async (server, caller, message) =>
        {
            using var streaming = call(server, caller, (TRequest)message);
            await foreach (var _ in streaming.ResponseStream.ReadAllAsync())
            {
            }
        });
}
