using Credentials.Core.Identity;
using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Server.Tests.Integrity;
using Credentials.Server.Tests.Verification;
using Credentials.Testing;
using Credentials.V1;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Security;

/// <summary>
/// Caller-chosen identifiers that hold an ID number (request ids, the x-request-id header, VerifyStream
/// correlation ids) are kept only as keyed hashes: the number appears in no table, no byte of the
/// database files and no log line, while idempotency, the audit log and the access log still work.
/// </summary>
public sealed class CallerIdentifierStorageTests : SeededServerTest
{
    // Other people's numbers, not the holders': a client that names its requests by the applicant's ID.
    private static readonly string IssueRequestId = Samples.ResidentId(new DateOnly(1975, 5, 5), 321);
    private static readonly string RecordRequestId = "record-" + Samples.ResidentId(new DateOnly(1982, 8, 8), 456);
    private static readonly string CommitteeRequestId = Samples.ResidentId(new DateOnly(1969, 9, 9), 789, region: "140105");
    private static readonly string HeaderId = Samples.ResidentId(new DateOnly(1991, 1, 31), 111);
    private static readonly string FirstGeneration = "210202750505321"; // 15 digits, no check character
    private static readonly string[] Used = [IssueRequestId, RecordRequestId[7..], CommitteeRequestId, HeaderId, FirstGeneration];

    [Fact]
    public async Task IdNumbersAsCallerIdentifiers_AreStoredAndLoggedOnlyHashed_AndStillIdentifyTheRequest()
    {
        var employer = await Server.AddPrincipalAsync("hr-office", Role.Employer);

        // A request id that is an ID number: issued, and the retry finds it.
        var issue = Issue(IssueRequestId, person: 1);
        using var call = Server.Certificates(Committee).IssueCertificateAsync(issue, new Metadata { { "x-request-id", HeaderId } });
        var first = await call;
        var headers = await call.ResponseHeadersAsync;
        var retry = await Server.Certificates(Committee).IssueCertificateAsync(issue);
        var reused = await Assert.ThrowsAsync<RpcException>(() =>
            Server.Certificates(Committee).IssueCertificateAsync(Issue(IssueRequestId, person: 2)).ResponseAsync);
        var record = await Server.RecordAsync(IntegrityFixtures.Record(person: 3), requestId: RecordRequestId);
        var recordRetry = await Server.RecordAsync(IntegrityFixtures.Record(person: 3), requestId: RecordRequestId);
        await Server.Committees(Server.AuthorityToken).CreateCommitteeAsync(NewCommittee(CommitteeRequestId));
        // A correlation id that is an ID number, in the access log's request id.
        var streamed = await VerifyStreamAsync(employer, new VerifyStreamRequest
        {
            CorrelationId = FirstGeneration,
            Certificate = new VerifyCertificateRequest { Number = first.Certificate.Number, HolderName = VerificationFixtures.HolderName },
        });
        await Server.FlushAccessLogAsync();

        Assert.Equal(first.Certificate, retry.Certificate);
        Assert.Equal(StatusCode.AlreadyExists, reused.StatusCode);
        Assert.Equal(record, recordRetry);
        // The caller hears of its own correlation id as it sent it; the call is known by the hashed header.
        Assert.Equal(FirstGeneration, streamed.CorrelationId);
        var callId = headers.GetValue("x-request-id")!;
        Assert.StartsWith(CallerIdentifiers.HashedPrefix, callId, StringComparison.Ordinal);
        var audit = await Server.Audit(Server.AuthorityToken).ListAuditRecordsAsync(new ListAuditRecordsRequest { Principal = "dl-s01" });
        Assert.Contains(audit.Records, r => r.RequestId == callId);
        var access = await Server.ListVerificationsAsync(new ListVerificationsRequest { CertificateNumber = first.Certificate.Number }, Server.AuthorityToken);
        Assert.Matches("#hmac:[0-9a-f]{8}(-[0-9a-f]{8}){3}$", Assert.Single(access.Records).RequestId);

        var stored = DatabaseFiles.Text(Server);
        var logs = Server.Logs.AllText;
        Assert.All(Used, id => Assert.DoesNotContain(id, stored, StringComparison.Ordinal));
        Assert.All(Used, id => Assert.DoesNotContain(id, logs, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OrdinaryRequestIds_AreKeptAsSent()
    {
        using var call = Server.Certificates(Committee).IssueCertificateAsync(Issue("hr-ticket-4711", person: 1),
            new Metadata { { "x-request-id", "0f8fad5b-d9cb-469f-a165-70867728950e" } });
        await call;
        var headers = await call.ResponseHeadersAsync;
        await Server.FlushAccessLogAsync();

        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", headers.GetValue("x-request-id"));
        var stored = DatabaseFiles.Text(Server);
        Assert.Contains("hr-ticket-4711", stored, StringComparison.Ordinal);
        Assert.Contains("0f8fad5b-d9cb-469f-a165-70867728950e", stored, StringComparison.Ordinal);
    }

    private async Task<VerifyStreamResponse> VerifyStreamAsync(string token, VerifyStreamRequest request)
    {
        using var call = Server.Verification(token).VerifyStream();
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var response = call.ResponseStream.Current;
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        return response;
    }

    private static CreateCommitteeRequest NewCommittee(string requestId) => new()
    {
        RequestId = requestId,
        Committee = new V1.Committee
        {
            Code = "SX-S01", Name = "山西省工程系列高级职称评审委员会", Organizer = "山西省人社厅", Region = "山西省", Series = "工程系列",
            Specialties = { "建筑工程" }, Levels = { TitleLevel.DeputySenior },
            AccreditedFrom = Dates.ToProto(new DateOnly(2024, 1, 1)), AccreditedUntil = Dates.ToProto(new DateOnly(2026, 12, 31)),
        },
    };
}
