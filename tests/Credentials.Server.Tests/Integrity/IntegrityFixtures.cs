using Credentials.Core.Time;
using Credentials.Store;
using Credentials.V1;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Integrity;

/// <summary>Records and calls the integrity tests share. Subjects use the certificate tests' ID numbers, so records and certificates of a person match.</summary>
internal static class IntegrityFixtures
{
    public static readonly DateOnly DefaultDecision = new(2024, 12, 18);

    public static MisconductRecord Record(int person = 1, MisconductType type = MisconductType.FalseMaterials, SubjectRole role = SubjectRole.Applicant,
        DateOnly? decided = null, params string[] certificates)
    {
        var record = new MisconductRecord
        {
            Subject = new Subject { Role = role, Name = "张伟", DocumentType = DocumentType.ResidentIdCard, DocumentNumber = IdNumber(person), Unit = "大连市建筑设计研究院" },
            Type = type,
            OtherType = type == MisconductType.Other ? "冒名顶替参评" : "",
            Facts = "申报材料中的业绩证明系伪造，经核查属实",
            DecisionDocument = "大人社发〔2024〕40号",
            DecidingBody = "大连市人力资源和社会保障局",
            DecisionDate = Dates.ToProto(decided ?? DefaultDecision),
        };
        record.CertificateNumbers.AddRange(certificates);
        return record;
    }

    public static async Task<MisconductRecord> RecordAsync(this TestServer server, MisconductRecord record, string? token = null, string? requestId = null) =>
        (await server.Integrity(token ?? server.AuthorityToken).RecordMisconductAsync(
            new RecordMisconductRequest { RequestId = requestId ?? Guid.NewGuid().ToString(), Record = record })).Record;

    public static async Task<MisconductRecord> RescindAsync(this TestServer server, string id, DateOnly? decided = null, string? token = null) =>
        (await server.Integrity(token ?? server.AuthorityToken).RescindMisconductAsync(new RescindMisconductRequest
        {
            Id = id,
            Rescission = new Rescission
            {
                Reason = "行政复议撤销原认定",
                DecisionDocument = "大人社复决〔2025〕2号",
                DecisionDate = decided is { } d ? Dates.ToProto(d) : null,
            },
        })).Record;

    public static Task<GetIntegrityStatusResponse> StatusAsync(this TestServer server, int person, string? token = null, SubjectRole role = SubjectRole.Unspecified) =>
        server.Integrity(token ?? server.AuthorityToken).GetIntegrityStatusAsync(
            new GetIntegrityStatusRequest { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = IdNumber(person), Role = role }).ResponseAsync;

    public static Task<ListMisconductResponse> ListAsync(this TestServer server, ListMisconductRequest request, string? token = null) =>
        server.Integrity(token ?? server.AuthorityToken).ListMisconductAsync(request).ResponseAsync;

    public static async Task<Certificate> IssueAsync(this TestServer server, int person, string? token = null) =>
        (await server.Certificates(token ?? server.AuthorityToken).IssueCertificateAsync(Issue(Guid.NewGuid().ToString(), person))).Certificate;

    public static async Task<Certificate> GetCertificateAsync(this TestServer server, string number) =>
        (await server.Certificates(server.AuthorityToken).GetCertificateAsync(new GetCertificateRequest { Number = number })).Certificate;

    /// <summary>The bodies of every ledger event, in order.</summary>
    public static List<LedgerEvent> LedgerEvents(this TestServer server)
    {
        using var connection = server.Services.GetRequiredService<Database>().OpenReader();
        return connection.Query<byte[]>("SELECT body FROM ledger_events ORDER BY seq").Select(LedgerEvent.Parser.ParseFrom).ToList();
    }

    public static long Count(this TestServer server, string table)
    {
        using var connection = server.Services.GetRequiredService<Database>().OpenReader();
        return connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}");
    }

    /// <summary>Sets the clock to <paramref name="chinaTime"/> on the Asia/Shanghai wall clock.</summary>
    public static void SetChinaTime(this TestServer server, DateTime chinaTime) =>
        server.Time.SetUtcNow(new DateTimeOffset(chinaTime, ChinaCalendar.Offset));
}
