using Credentials.Core.Time;
using Credentials.Server.Tests.Integrity;
using Credentials.Testing;
using Credentials.V1;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Common;

/// <summary>
/// Every idempotent method: a retry that differs from the first request only in what the server
/// normalises (case of a committee code, spaces around text, full-width digits, an unknown or
/// output-only field) returns the stored answer and writes nothing; a retry that differs in substance
/// is ALREADY_EXISTS (REQUEST_ID_REUSED) and writes nothing either.
/// </summary>
public sealed class IdempotentRetryTests : SeededServerTest
{
    /// <summary>The first request's holder, and another document with the same masked form (21**************NN).</summary>
    private static readonly string Holder = IdNumber(1);
    private static readonly string SameMask = Enumerable.Range(1, 400)
        .Select(d => Samples.ResidentId(new DateOnly(1980, 1, 1).AddDays(37 + d), 1)).First(n => n[^2..] == Holder[^2..]);

    /// <summary>The message parsed again with field 99 (unknown to the contract) appended.</summary>
    private static T WithUnknownField<T>(T message) where T : IMessage<T>, new() =>
        new MessageParser<T>(() => new T()).ParseFrom([.. message.ToByteArray(), 0x98, 0x06, 0x01]);

    private static string FullWidth(string digits) => string.Concat(digits.Select(c => char.IsAsciiDigit(c) ? (char)('０' + (c - '0')) : c));

    public static TheoryData<string> IssueNormalisations => ["committee code in lower case", "spaces around text", "full-width digits", "unknown fields", "output-only field"];

    public static TheoryData<string> IssueDifferences => ["specialty", "holder name", "document with the same mask", "level"];

    private static IssueCertificateRequest IssueRequest(string change)
    {
        var request = Issue("retry-1", person: 1);
        var spec = request.Spec;
        switch (change)
        {
            case "committee code in lower case":
                request.CommitteeCode = " dl-s01";
                break;
            case "spaces around text":
                spec.Holder.Name = " 张伟  ";
                spec.Series = "工程系列 ";
                spec.ApprovalDocument = "\u3000大人社发〔2024〕15号\t";
                break;
            case "full-width digits":
                spec.Holder.DocumentNumber = FullWidth(Holder);
                break;
            case "unknown fields":
                request.Spec = WithUnknownField(spec);
                request = WithUnknownField(request);
                break;
            case "output-only field":
                spec.Holder.DocumentMasked = "whatever";
                break;
            case "specialty":
                spec.Specialty = "给排水";
                break;
            case "holder name":
                spec.Holder.Name = "王芳";
                break;
            case "document with the same mask":
                spec.Holder.DocumentNumber = SameMask;
                break;
            case "level":
                spec.Level = TitleLevel.Intermediate;
                break;
        }
        return request;
    }

    private Task<IssueCertificateResponse> IssueAsync(IssueCertificateRequest request) =>
        Server.Certificates(Committee).IssueCertificateAsync(request).ResponseAsync;

    [Theory]
    [MemberData(nameof(IssueNormalisations))]
    public Task IssueCertificate_RetryDifferingOnlyInWhatIsNormalised_ReturnsTheStoredCertificate(string change) =>
        AssertStoredAnswerAsync(c => IssueAsync(IssueRequest(c)), change);

    [Theory]
    [MemberData(nameof(IssueDifferences))]
    public Task IssueCertificate_RetryDifferingInSubstance_IsAlreadyExists(string change) =>
        AssertReusedAsync(c => IssueAsync(IssueRequest(c)), change);

    private static BatchIssueCertificatesRequest BatchRequest(string change)
    {
        var request = new BatchIssueCertificatesRequest { RequestId = "batch-1", CommitteeCode = "DL-S01", Items = { Spec(1), Spec(2, specialty: "给排水") } };
        switch (change)
        {
            case "committee code in lower case":
                request.CommitteeCode = "dl-s01";
                break;
            case "spaces around text":
                request.Items[1].TitleName = "高级工程师  ";
                request.Items[1].Specialty = " 给排水";
                break;
            case "unknown fields":
                request.Items[0] = WithUnknownField(request.Items[0]);
                request = WithUnknownField(request);
                break;
            case "reviewed count":
                request.ReviewedCount = 10;
                break;
            case "item order":
                request.Items.Add(request.Items[0]);
                request.Items.RemoveAt(0);
                break;
        }
        return request;
    }

    private Task<BatchIssueCertificatesResponse> BatchAsync(BatchIssueCertificatesRequest request) =>
        Server.Certificates(Committee).BatchIssueCertificatesAsync(request).ResponseAsync;

    [Theory]
    [InlineData("committee code in lower case")]
    [InlineData("spaces around text")]
    [InlineData("unknown fields")]
    public Task BatchIssueCertificates_RetryDifferingOnlyInWhatIsNormalised_ReturnsTheStoredCertificates(string change) =>
        AssertStoredAnswerAsync(c => BatchAsync(BatchRequest(c)), change);

    [Theory]
    [InlineData("reviewed count")]
    [InlineData("item order")]
    public Task BatchIssueCertificates_RetryDifferingInSubstance_IsAlreadyExists(string change) =>
        AssertReusedAsync(c => BatchAsync(BatchRequest(c)), change);

    private static CreateCommitteeRequest CommitteeRequest(string change)
    {
        var request = new CreateCommitteeRequest
        {
            RequestId = "committee-1",
            Committee = new V1.Committee
            {
                Code = "SX-S01", Name = "山西省工程系列高级职称评审委员会", Organizer = "山西省人社厅", Region = "山西省", Series = "工程系列",
                Specialties = { "建筑工程", "给排水" }, Levels = { TitleLevel.DeputySenior }, MeetingSchedule = "10月下旬",
                AccreditedFrom = Dates.ToProto(new DateOnly(2024, 1, 1)), AccreditedUntil = Dates.ToProto(new DateOnly(2026, 12, 31)),
            },
        };
        var committee = request.Committee;
        switch (change)
        {
            case "committee code in lower case":
                committee.Code = "sx-s01 ";
                break;
            case "spaces around text":
                committee.Name = " 山西省工程系列高级职称评审委员会 ";
                committee.Specialties[1] = "给排水\u3000";
                break;
            case "unknown fields":
                request.Committee = WithUnknownField(committee);
                request = WithUnknownField(request);
                break;
            case "output-only field":
                committee.State = CommitteeState.Suspended;
                committee.CreateTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
                committee.AccreditationStatus = AccreditationStatus.Expired;
                committee.ScopeHistory.Add(new CommitteeScope { Series = "卫生系列", DecisionDocument = "晋人社函〔2023〕1号" });
                break;
            case "name":
                committee.Name = "山西省工程系列中级职称评审委员会";
                break;
            case "accreditation window":
                committee.AccreditedUntil = Dates.ToProto(new DateOnly(2026, 6, 30));
                break;
            case "specialties":
                committee.Specialties.Add("暖通空调");
                break;
        }
        return request;
    }

    private Task<CreateCommitteeResponse> CreateAsync(CreateCommitteeRequest request) =>
        Server.Committees(Server.AuthorityToken).CreateCommitteeAsync(request).ResponseAsync;

    [Theory]
    [InlineData("committee code in lower case")]
    [InlineData("spaces around text")]
    [InlineData("unknown fields")]
    [InlineData("output-only field")]
    public Task CreateCommittee_RetryDifferingOnlyInWhatIsNormalised_ReturnsTheStoredCommittee(string change) =>
        AssertStoredAnswerAsync(c => CreateAsync(CommitteeRequest(c)), change);

    [Theory]
    [InlineData("name")]
    [InlineData("accreditation window")]
    [InlineData("specialties")]
    public Task CreateCommittee_RetryDifferingInSubstance_IsAlreadyExists(string change) =>
        AssertReusedAsync(c => CreateAsync(CommitteeRequest(c)), change);

    private static RecordMisconductRequest RecordRequest(string change)
    {
        var record = IntegrityFixtures.Record(person: 1);
        record.CommitteeCode = "DL-S01";
        var request = new RecordMisconductRequest { RequestId = "record-1", Record = record };
        switch (change)
        {
            case "committee code in lower case":
                record.CommitteeCode = "dl-s01";
                break;
            case "spaces around text":
                record.Facts = $"  {record.Facts} ";
                record.Subject.Unit = $"{record.Subject.Unit}\u3000";
                break;
            case "full-width digits":
                record.Subject.DocumentNumber = FullWidth(Holder);
                break;
            case "unknown fields":
                record.Subject = WithUnknownField(record.Subject);
                request = WithUnknownField(request);
                break;
            case "facts":
                record.Facts = "评审专家收受申报人财物，经核查属实";
                break;
            case "document with the same mask":
                record.Subject.DocumentNumber = SameMask;
                break;
            case "decision date":
                record.DecisionDate = Dates.ToProto(new DateOnly(2024, 12, 17));
                break;
        }
        return request;
    }

    private Task<RecordMisconductResponse> RecordAsync(RecordMisconductRequest request) =>
        Server.Integrity(Server.AuthorityToken).RecordMisconductAsync(request).ResponseAsync;

    [Theory]
    [InlineData("committee code in lower case")]
    [InlineData("spaces around text")]
    [InlineData("full-width digits")]
    [InlineData("unknown fields")]
    public Task RecordMisconduct_RetryDifferingOnlyInWhatIsNormalised_ReturnsTheStoredRecord(string change) =>
        AssertStoredAnswerAsync(c => RecordAsync(RecordRequest(c)), change);

    [Theory]
    [InlineData("facts")]
    [InlineData("document with the same mask")]
    [InlineData("decision date")]
    public Task RecordMisconduct_RetryDifferingInSubstance_IsAlreadyExists(string change) =>
        AssertReusedAsync(c => RecordAsync(RecordRequest(c)), change);

    /// <summary>The first request, then later its variant: the same answer, and no new ledger event.</summary>
    private async Task AssertStoredAnswerAsync<T>(Func<string, Task<T>> call, string change)
    {
        var first = await call("");
        var events = Server.Count("ledger_events");

        // Later, as a retry comes: the answer is what the first request made, not something new.
        Server.Time.Advance(TimeSpan.FromMinutes(5));
        var retry = await call(change);

        Assert.Equal(first, retry);
        Assert.Equal(events, Server.Count("ledger_events"));
    }

    /// <summary>The first request, then its variant: ALREADY_EXISTS (REQUEST_ID_REUSED), and no new ledger event.</summary>
    private async Task AssertReusedAsync<T>(Func<string, Task<T>> call, string change)
    {
        await call("");
        var events = Server.Count("ledger_events");

        var error = await Assert.ThrowsAsync<RpcException>(() => call(change));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal("REQUEST_ID_REUSED", error.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(events, Server.Count("ledger_events"));
    }
}
