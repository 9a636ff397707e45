using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Server.Certificates;
using Credentials.Server.Keys;
using Credentials.Server.Tests.Integrity;
using Credentials.Store;
using Credentials.Store.Writing;
using Credentials.V1;
using Dapper;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Certificates;

/// <summary>
/// The serials of a committee and review year are 1, 2, 3, ... with no hole, whatever was refused,
/// replayed or failed on the way, and every stored certificate is signed with the number it is stored
/// under (the writer signs again the few whose predicted serial was wrong).
/// </summary>
public sealed class SerialGapTests : SeededServerTest
{
    private StoreWriter Writer => Server.Services.GetRequiredService<StoreWriter>();

    private CertificateIssuer Issuer => Server.Services.GetRequiredService<CertificateIssuer>();

    private Task<IssueCertificateResponse> IssueAsync(IssueCertificateRequest request, string? token = null) =>
        Server.Certificates(token ?? Committee).IssueCertificateAsync(request).ResponseAsync;

    private Task<BatchIssueCertificatesResponse> BatchAsync(string requestId, string committee, params CertificateSpec[] items) =>
        Server.Certificates(Server.AuthorityToken).BatchIssueCertificatesAsync(
            new BatchIssueCertificatesRequest { RequestId = requestId, CommitteeCode = committee, Items = { items } }).ResponseAsync;

    /// <summary>Runs a call and keeps its status: OK, or the code it failed with.</summary>
    private static async Task<StatusCode> StatusOf(Task call)
    {
        try
        {
            await call;
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    [Fact]
    public async Task ConcurrentIssuance_RefusalsInTheWriterAmongAcceptedRequests_LeaveSerialsOneToNPerCommitteeAndYear()
    {
        // Hold the writer, so that every request passes the checks made before it and queues up: the
        // duplicates are then refused inside the writer, after their serials were predicted and signed.
        var gate = new TaskCompletionSource();
        var blocker = Writer.ExecuteAsync(null, _ => gate.Task.Wait(TimeSpan.FromSeconds(30)));
        var calls = new List<Task<StatusCode>>();
        for (var person = 1; person <= 30; person++)
        {
            calls.Add(StatusOf(IssueAsync(Issue($"unary-{person}", person))));
            if (person % 5 == 0)
            {
                // The same holder again, under another request id: only one of the two gets the title.
                calls.Add(StatusOf(IssueAsync(Issue($"again-{person}", person))));
                // The same request again: replayed, not issued twice.
                calls.Add(StatusOf(IssueAsync(Issue($"unary-{person}", person))));
            }
            if (person % 10 == 0)
            {
                // Two batches sharing a holder: one of them is issued whole, the other refused whole.
                calls.Add(StatusOf(BatchAsync($"batch-a-{person}", "DL-S01", Spec(40 + person), Spec(90 + person))));
                calls.Add(StatusOf(BatchAsync($"batch-b-{person}", "DL-S01", Spec(60 + person), Spec(90 + person))));
                calls.Add(StatusOf(BatchAsync($"batch-s02-{person}", "DL-S02", Spec(130 + person, "计量"), Spec(170 + person, "计量"))));
            }
        }
        // Refused before any serial is predicted: a specialty outside the scope.
        calls.Add(StatusOf(IssueAsync(Issue("scope", person: 250, specialty: "核电运行"))));
        gate.SetResult();
        await blocker;
        var statuses = await Task.WhenAll(calls);

        Assert.Contains(StatusCode.FailedPrecondition, statuses);
        Assert.True(Issuer.ResignedInWriter > 0, "no prediction was wrong, so the test did not exercise the writer's re-signing");
        var stored = AssertGapFreeAndSignedAsStored();
        Assert.Equal(30 + 3 * 2, stored.Count(c => c.Committee == "DL-S01"));
        Assert.Equal(3 * 2, stored.Count(c => c.Committee == "DL-S02"));
    }

    [Fact]
    public async Task FailedGroupCommit_GivesItsSerialsBack_TheNextIssuanceContinuesWithoutAHole()
    {
        await IssueAsync(Issue("first", person: 1));
        await Writer.MaintainAsync(connection => connection.ExecuteScalar("PRAGMA query_only = 1"));

        var failed = await Task.WhenAll(Enumerable.Range(2, 4).Select(person => StatusOf(IssueAsync(Issue($"cut-{person}", person)))));
        await Writer.MaintainAsync(connection => connection.ExecuteScalar("PRAGMA query_only = 0"));
        var resignedBefore = Issuer.ResignedInWriter;
        var next = (await IssueAsync(Issue("after", person: 6))).Certificate;
        var retried = (await IssueAsync(Issue("cut-3", person: 3))).Certificate;

        Assert.All(failed, status => Assert.Equal(StatusCode.Unavailable, status));
        Assert.Equal(2, CertificateNumber.Parse(next.Number, out _)!.Serial);
        Assert.Equal(3, CertificateNumber.Parse(retried.Number, out _)!.Serial);
        // The failed requests gave their predictions back: the next ones were signed right the first time.
        Assert.Equal(resignedBefore, Issuer.ResignedInWriter);
        Assert.Equal(3, AssertGapFreeAndSignedAsStored().Count);
    }

    [Fact]
    public async Task RefusedIssuance_UsesNoSerial()
    {
        await IssueAsync(Issue("first", person: 1));
        var duplicate = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(Issue("duplicate", person: 1)));
        var outOfScope = await Assert.ThrowsAsync<RpcException>(() => IssueAsync(Issue("scope", person: 2, specialty: "核电运行")));

        var next = (await IssueAsync(Issue("second", person: 3))).Certificate;

        Assert.Equal(StatusCode.FailedPrecondition, duplicate.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, outOfScope.StatusCode);
        Assert.Equal(2, CertificateNumber.Parse(next.Number, out _)!.Serial);
    }

    private sealed record StoredSerial(string Number, string Committee, long Year, long Serial, byte[] Event);

    /// <summary>
    /// Asserts, for every committee and year, serials 1 to N; and that each certificate's number is its
    /// committee, year and serial, and is the number its signed document names, under a valid signature.
    /// </summary>
    private List<StoredSerial> AssertGapFreeAndSignedAsStored()
    {
        using var connection = Server.Services.GetRequiredService<Database>().OpenReader();
        var stored = connection.Query<StoredSerial>(
            """
            SELECT c.number AS Number, c.committee_code AS Committee, c.review_year AS Year, c.serial AS Serial, e.body AS Event
            FROM certificates c JOIN ledger_events e ON e.seq = c.event_seq
            """).ToList();
        var keys = Server.Services.GetRequiredService<KeyRing>();
        foreach (var lane in stored.GroupBy(c => (c.Committee, c.Year)))
        {
            Assert.Equal(Enumerable.Range(1, lane.Count()).Select(s => (long)s), lane.Select(c => c.Serial).Order());
        }
        foreach (var certificate in stored)
        {
            Assert.Equal(CertificateNumber.Format(certificate.Committee, (int)certificate.Year, (int)certificate.Serial), certificate.Number);
            var envelope = LedgerEvent.Parser.ParseFrom(certificate.Event).CertificateIssued.Envelope;
            Assert.True(EnvelopeVerifier.Verify(envelope, PayloadTypes.Certificate, keys.Find).IsValid);
            Assert.Equal(certificate.Number, CertificateDocument.Parser.ParseFrom(envelope.Payload).Number);
        }
        return stored;
    }
}
