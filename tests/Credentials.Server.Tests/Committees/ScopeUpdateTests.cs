using Credentials.Core.Time;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Google.Rpc;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Committees;

/// <summary>UpdateCommitteeScope: the history stays, and a review is judged by the scope of its meeting date.</summary>
public sealed class ScopeUpdateTests : SeededServerTest
{
    /// <summary>DL-S02 (计量, 质量, 标准化, 特种设备) without 质量 and with 检验检测, from <paramref name="effective"/>.</summary>
    private static UpdateCommitteeScopeRequest Update(string effective = "2024-11-01", string requestId = "scope-1") => new()
    {
        RequestId = requestId,
        Code = "DL-S02",
        Scope = new CommitteeScope
        {
            Series = "工程系列", Specialties = { "计量", "标准化", "特种设备", "检验检测" }, Levels = { TitleLevel.DeputySenior },
            DecisionDocument = "大人社函〔2024〕11号", EffectiveDate = Dates.ToProto(DateOnly.Parse(effective)),
        },
    };

    private Task<UpdateCommitteeScopeResponse> UpdateAsync(UpdateCommitteeScopeRequest request) =>
        Server.Committees(Server.AuthorityToken).UpdateCommitteeScopeAsync(request).ResponseAsync;

    private async Task<string> IssueAsDlS02Async(int person, string specialty, string meeting)
    {
        var token = await Server.AddPrincipalAsync($"dl-s02-{person}", Core.Principals.Role.Committee, "DL-S02");
        var request = Issue($"s02-{person}", person, committee: "DL-S02", specialty: specialty);
        request.Spec.ReviewMeetingDate = Dates.ToProto(DateOnly.Parse(meeting));
        return (await Server.Certificates(token).IssueCertificateAsync(request)).Certificate.Number;
    }

    [Fact]
    public async Task UpdateScope_Authority_KeepsTheHistoryWithItsEventAndAudit()
    {
        var eventsBefore = Server.LedgerEvents().Count;

        var committee = (await UpdateAsync(Update())).Committee;

        Assert.Equal(["计量", "标准化", "特种设备", "检验检测"], committee.Specialties);
        Assert.Equal(2, committee.ScopeHistory.Count);
        Assert.Equal(("计量,质量,标准化,特种设备", "", "2024-01-01"),
            (string.Join(',', committee.ScopeHistory[0].Specialties), committee.ScopeHistory[0].DecisionDocument, Iso(committee.ScopeHistory[0].EffectiveDate)));
        Assert.Equal(("大人社函〔2024〕11号", "2024-11-01", "authority"),
            (committee.ScopeHistory[1].DecisionDocument, Iso(committee.ScopeHistory[1].EffectiveDate), committee.ScopeHistory[1].RecordedBy));
        var change = Assert.Single(Server.LedgerEvents().Skip(eventsBefore));
        Assert.Equal(("DL-S02", "authority"), (change.CommitteeCode, change.Actor));
        Assert.Equal(committee.ScopeHistory[1], change.CommitteeScopeUpdated.Scope);
        var audit = Assert.Single((await Server.Audit(Server.AuthorityToken).ListAuditRecordsAsync(
            new ListAuditRecordsRequest { Method = "/credentials.v1.CommitteeService/UpdateCommitteeScope" })).Records);
        Assert.Equal((long)change.Sequence, audit.FirstEvent);
    }

    [Fact]
    public async Task UpdateScope_IssuanceAfterwards_IsJudgedByTheScopeOfTheMeetingDate()
    {
        await UpdateAsync(Update("2024-11-01"));

        // 质量 was accredited on 2024-10-25 and no longer is on 2024-11-08; 检验检测 the other way round.
        var underEarlierScope = await IssueAsDlS02Async(41, "质量", "2024-10-25");
        var removed = await Assert.ThrowsAsync<RpcException>(() => IssueAsDlS02Async(42, "质量", "2024-11-08"));
        var notYetAdded = await Assert.ThrowsAsync<RpcException>(() => IssueAsDlS02Async(43, "检验检测", "2024-10-25"));
        var added = await IssueAsDlS02Async(44, "检验检测", "2024-11-08");

        Assert.StartsWith("DL-S02-2024-", underEarlierScope, StringComparison.Ordinal);
        Assert.Equal("OUTSIDE_ACCREDITED_SCOPE", removed.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal("OUTSIDE_ACCREDITED_SCOPE", notYetAdded.GetDetail<ErrorInfo>()?.Reason);
        Assert.StartsWith("DL-S02-2024-", added, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateScope_CertificateOfTheEarlierScope_StaysReadableAndValid()
    {
        var issued = await IssueAsDlS02Async(45, "质量", "2024-10-25");
        await UpdateAsync(Update("2024-12-01"));

        var verified = await Server.Verification().VerifyCertificateAsync(new VerifyCertificateRequest { Number = issued, HolderName = "张伟" });
        var committee = (await Server.Committees(Server.AuthorityToken).GetCommitteeAsync(new GetCommitteeRequest { Code = "DL-S02" })).Committee;

        Assert.Equal(VerificationResult.Valid, verified.Result);
        Assert.Contains("质量", committee.ScopeHistory[0].Specialties);
        Assert.DoesNotContain("质量", committee.Specialties);
    }

    [Fact]
    public async Task UpdateScope_EffectiveInTheFuture_IsInvalid()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(Update("2024-12-21")));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("scope.effective_date", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task UpdateScope_BeforeTheScopeInForce_IsRefused()
    {
        await UpdateAsync(Update("2024-11-01"));
        var earlier = Update("2024-10-01", requestId: "scope-2");
        earlier.Scope.Specialties.Add("质量");

        var error = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(earlier));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("SCOPE_CHANGE_BEFORE_CURRENT_SCOPE", error.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task UpdateScope_Unchanged_IsRefused()
    {
        var same = Update();
        same.Scope.Specialties.Clear();
        same.Scope.Specialties.Add(["特种设备", "计量", "质量", "标准化"]);

        var error = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(same));

        Assert.Equal("SCOPE_UNCHANGED", error.GetDetail<ErrorInfo>()?.Reason);
        Assert.Single((await Server.Committees(Server.AuthorityToken).GetCommitteeAsync(new GetCommitteeRequest { Code = "DL-S02" })).Committee.ScopeHistory);
    }

    [Fact]
    public async Task UpdateScope_InvalidFields_AreAllNamed()
    {
        var request = Update();
        request.RequestId = "";
        request.Scope.Series = "";
        request.Scope.Specialties.Add("计量");
        request.Scope.Levels.Add((TitleLevel)42);
        request.Scope.DecisionDocument = "";

        var error = await Assert.ThrowsAsync<RpcException>(() => UpdateAsync(request));

        Assert.Equal(["request_id", "scope.series", "scope.specialties", "scope.levels[1]", "scope.decision_document"],
            error.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task UpdateScope_SameRequestTwice_UpdatesOnce()
    {
        await UpdateAsync(Update());
        var events = Server.LedgerEvents().Count;

        var again = (await UpdateAsync(Update())).Committee;

        Assert.Equal(events, Server.LedgerEvents().Count);
        Assert.Equal(2, again.ScopeHistory.Count);
    }

    [Fact]
    public async Task UpdateScope_Committee_IsPermissionDenied()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.Committees(Committee).UpdateCommitteeScopeAsync(Update()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    private static string Iso(Google.Type.Date date) => Dates.ToIso(Dates.ToDateOnly(date)!.Value);
}
