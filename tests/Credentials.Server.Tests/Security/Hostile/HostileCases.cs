using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Server.Tests.Certificates;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Server.Tests.Security.Hostile;

/// <summary>What the valid requests refer to: seeded committees, tokens, an issued certificate, a misconduct record.</summary>
public sealed record HostileContext(TestServer Server, string CommitteeToken, string PlatformToken, string EmployerToken,
    string CertificateNumber, string RevocableNumber, string RecordId, string CertificateQrText)
{
    public string AuthorityToken => Server.AuthorityToken;

    public static async Task<HostileContext> CreateAsync(TestServer server)
    {
        await server.SeedDalianCommitteesAsync();
        var committee = await server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");
        var certificate = await server.IssueAsync(1, committee);
        var revocable = await server.IssueAsync(2, committee);
        var record = await server.RecordAsync(IntegrityFixtures.Record(person: 9, type: MisconductType.Plagiarism));
        // RestoreCommittee needs a suspended committee.
        await server.CallAsync<SuspendCommitteeRequest, SuspendCommitteeResponse>("CommitteeService/SuspendCommittee",
            new SuspendCommitteeRequest { Code = "DL-S03", Reason = "整改", DecisionDocument = "大人社函〔2024〕1号" }, server.AuthorityToken);
        return new HostileContext(server, committee, await server.AddPrincipalAsync("platform", Role.Platform),
            await server.AddPrincipalAsync("employer", Role.Employer), certificate.Number, revocable.Number, record.Id, certificate.QrText);
    }
}

/// <summary>Every method of the contract with a valid request. A new method gets a case here.</summary>
public static class HostileCases
{
    private static readonly HashSet<string> None = [];

    private static readonly HashSet<string> CommitteeOutputs =
        ["committee.state", "committee.last_state_change", "committee.create_time", "committee.update_time"];

    private static readonly HashSet<string> RevocationOutputs =
        ["revocation.record_time", "revocation.recorded_by", "revocation.misconduct_record_id"];

    private static readonly HashSet<string> RecordOutputs =
        ["record.id", "record.active_until", "record.state", "record.rescission", "record.record_time", "record.recorded_by", "record.subject.document_masked"];

    public static IReadOnlyList<HostileCase> All { get; } =
    [
        Case<PingRequest, PingResponse>("DiagnosticsService/Ping", _ => new PingRequest(), _ => null),
        Case<GetCallStatisticsRequest, GetCallStatisticsResponse>("DiagnosticsService/GetCallStatistics", _ => new GetCallStatisticsRequest(), c => c.AuthorityToken),

        Case<CreateCommitteeRequest, CreateCommitteeResponse>("CommitteeService/CreateCommittee", _ => new CreateCommitteeRequest
        {
            RequestId = "hostile-1",
            Committee = new Committee
            {
                Code = "SX-S01", Name = "山西省工程系列高级职称评审委员会", Organizer = "山西省人社厅", Region = "山西省", Series = "工程系列",
                Specialties = { "建筑工程" }, Levels = { TitleLevel.DeputySenior }, MeetingSchedule = "10月下旬",
                AccreditedFrom = Dates.ToProto(new DateOnly(2024, 1, 1)), AccreditedUntil = Dates.ToProto(new DateOnly(2026, 12, 31)),
            },
        }, c => c.AuthorityToken, CommitteeOutputs),
        Case<GetCommitteeRequest, GetCommitteeResponse>("CommitteeService/GetCommittee", _ => new GetCommitteeRequest { Code = "DL-S01" }, c => c.AuthorityToken),
        Case<ListCommitteesRequest, ListCommitteesResponse>("CommitteeService/ListCommittees",
            _ => new ListCommitteesRequest { PageSize = 5, Series = "工程系列", State = CommitteeState.Active }, c => c.AuthorityToken),
        Case<SuspendCommitteeRequest, SuspendCommitteeResponse>("CommitteeService/SuspendCommittee",
            _ => new SuspendCommitteeRequest { Code = "DL-S02", Reason = "评审工作不规范", DecisionDocument = "大人社函〔2024〕8号", EffectiveDate = Dates.ToProto(new DateOnly(2024, 12, 1)) },
            c => c.AuthorityToken),
        Case<RestoreCommitteeRequest, RestoreCommitteeResponse>("CommitteeService/RestoreCommittee",
            _ => new RestoreCommitteeRequest { Code = "DL-S03", Reason = "整改完成", DecisionDocument = "大人社函〔2024〕9号", EffectiveDate = Dates.ToProto(new DateOnly(2024, 12, 1)) },
            c => c.AuthorityToken),
        Case<WithdrawCommitteeAuthorityRequest, WithdrawCommitteeAuthorityResponse>("CommitteeService/WithdrawCommitteeAuthority",
            _ => new WithdrawCommitteeAuthorityRequest { Code = "DL-S04", Reason = "情节严重", DecisionDocument = "大人社发〔2024〕30号", EffectiveDate = Dates.ToProto(new DateOnly(2024, 12, 1)) },
            c => c.AuthorityToken),

        Case<IssueCertificateRequest, IssueCertificateResponse>("CertificateService/IssueCertificate",
            _ => CertificateFixtures.Issue("hostile-issue", person: 20), c => c.CommitteeToken, ["spec.holder.document_masked"]),
        Case<BatchIssueCertificatesRequest, BatchIssueCertificatesResponse>("CertificateService/BatchIssueCertificates", _ => new BatchIssueCertificatesRequest
        {
            RequestId = "hostile-batch", CommitteeCode = "DL-S01", ReviewedCount = 10, Items = { CertificateFixtures.Spec(21), CertificateFixtures.Spec(22) },
        }, c => c.CommitteeToken, ["items[0].holder.document_masked"]),
        Case<GetCertificateRequest, GetCertificateResponse>("CertificateService/GetCertificate",
            c => new GetCertificateRequest { Number = c.CertificateNumber }, c => c.AuthorityToken),
        Case<ListCertificatesRequest, ListCertificatesResponse>("CertificateService/ListCertificates", _ => new ListCertificatesRequest
        {
            PageSize = 5, CommitteeCode = "DL-S01", ReviewYear = 2024, State = CertificateState.Valid, Level = TitleLevel.DeputySenior,
        }, c => c.PlatformToken),
        Case<RevokeCertificateRequest, RevokeCertificateResponse>("CertificateService/RevokeCertificate", c => new RevokeCertificateRequest
        {
            Number = c.RevocableNumber,
            Revocation = new Revocation
            {
                Reason = RevocationReason.Other, Details = "冒名顶替", DecisionDocument = "大人社发〔2024〕40号", EffectiveDate = Dates.ToProto(new DateOnly(2024, 12, 10)),
            },
        }, c => c.CommitteeToken, RevocationOutputs),

        Case<RecordMisconductRequest, RecordMisconductResponse>("IntegrityService/RecordMisconduct",
            _ => new RecordMisconductRequest { RequestId = "hostile-record", Record = IntegrityFixtures.Record(person: 30, type: MisconductType.Other) },
            c => c.AuthorityToken, RecordOutputs),
        Case<RescindMisconductRequest, RescindMisconductResponse>("IntegrityService/RescindMisconduct", c => new RescindMisconductRequest
        {
            Id = c.RecordId,
            Rescission = new Rescission { Reason = "行政复议撤销原认定", DecisionDocument = "大人社复决〔2025〕2号", DecisionDate = Dates.ToProto(new DateOnly(2024, 12, 19)) },
        }, c => c.AuthorityToken, ["rescission.record_time", "rescission.recorded_by"]),
        Case<GetIntegrityStatusRequest, GetIntegrityStatusResponse>("IntegrityService/GetIntegrityStatus", _ => new GetIntegrityStatusRequest
        {
            DocumentType = DocumentType.ResidentIdCard, DocumentNumber = CertificateFixtures.IdNumber(9), Role = SubjectRole.Applicant,
        }, c => c.EmployerToken),
        Case<ListMisconductRequest, ListMisconductResponse>("IntegrityService/ListMisconduct", _ => new ListMisconductRequest
        {
            PageSize = 5, Role = SubjectRole.Applicant, Type = MisconductType.Plagiarism, CommitteeCode = "DL-S01", State = MisconductState.Active,
            DecisionDateFrom = Dates.ToProto(new DateOnly(2024, 1, 1)), DecisionDateUntil = Dates.ToProto(new DateOnly(2024, 12, 31)),
        }, c => c.PlatformToken),

        Case<VerifyCertificateRequest, VerifyCertificateResponse>("VerificationService/VerifyCertificate", c => new VerifyCertificateRequest
        {
            Number = c.CertificateNumber, HolderName = "张伟", DocumentType = DocumentType.ResidentIdCard, DocumentNumber = CertificateFixtures.IdNumber(1),
        }, _ => null),
        Case<VerifyEnvelopeRequest, VerifyEnvelopeResponse>("VerificationService/VerifyEnvelope",
            c => new VerifyEnvelopeRequest { QrText = c.CertificateQrText }, c => c.EmployerToken),
        Case<ListSigningKeysRequest, ListSigningKeysResponse>("VerificationService/ListSigningKeys", _ => new ListSigningKeysRequest(), _ => null),
        Case<ListVerificationsRequest, ListVerificationsResponse>("VerificationService/ListVerifications", c => new ListVerificationsRequest
        {
            PageSize = 5, CertificateNumber = c.CertificateNumber, Principal = "employer",
        }, c => c.PlatformToken),

        Case<ListAuditRecordsRequest, ListAuditRecordsResponse>("AuditService/ListAuditRecords", _ => new ListAuditRecordsRequest
        {
            PageSize = 5, Principal = "dl-s01", Method = "/credentials.v1.CertificateService/IssueCertificate",
            StartTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            EndTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        }, c => c.AuthorityToken),

        Case<GetCheckpointRequest, GetCheckpointResponse>("LedgerService/GetCheckpoint", _ => new GetCheckpointRequest(), _ => null),
        Case<GetInclusionProofRequest, GetInclusionProofResponse>("LedgerService/GetInclusionProof",
            c => new GetInclusionProofRequest { CertificateNumber = c.CertificateNumber }, c => c.PlatformToken),
        Case<GetConsistencyProofRequest, GetConsistencyProofResponse>("LedgerService/GetConsistencyProof",
            _ => new GetConsistencyProofRequest { FirstTreeSize = 3, SecondTreeSize = 7 }, _ => null),
        Case<StreamEventsRequest, StreamEventsResponse>("LedgerService/StreamEvents", _ => new StreamEventsRequest
        {
            StartIndex = 1, EventTypes = { LedgerEventType.CertificateIssued }, CommitteeCode = "DL-S01", ReviewYear = 2024, BatchSize = 100,
        }, c => c.PlatformToken, serverStreaming: true),
        Case<GetStatisticsRequest, GetStatisticsResponse>("LedgerService/GetStatistics",
            _ => new GetStatisticsRequest { ReviewYear = 2024, CommitteeCode = "DL-S01" }, c => c.PlatformToken),
    ];

    private static HostileCase Case<TRequest, TResponse>(string method, Func<HostileContext, TRequest> request, Func<HostileContext, string?> token,
        HashSet<string>? ignored = null, bool serverStreaming = false)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse> =>
        new(method, typeof(TResponse), c => request(c), token, ignored ?? None, serverStreaming);
}
