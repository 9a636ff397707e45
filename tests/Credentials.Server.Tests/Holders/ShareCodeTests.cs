using System.Text.RegularExpressions;
using Credentials.Core.Holders;
using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Server.Tests.Integrity;
using Credentials.Server.Tests.Security;
using Credentials.V1;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Holders;

/// <summary>
/// Share codes (在线验证码): made by a holder for one of their certificates, verified by anyone with the code alone,
/// expiring on the server's clock, revocable, saying whether an active integrity record exists only with consent,
/// and answering exactly alike when unknown, expired or revoked.
/// </summary>
public sealed partial class ShareCodeTests : SeededServerTest
{
    private static readonly VerifyShareCodeResponse NotFound = new() { Result = VerificationResult.NotFound };

    private Certificate _certificate = null!;

    /// <summary>A token of the holder, fresh on the server's clock (tests move it by days).</summary>
    private string Holder => Server.HolderToken(IdNumber(1));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _certificate = await Server.IssueAsync(Spec(1), Committee);
    }

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")]
    private static partial Regex CodeForm();

    [Fact]
    public async Task VerifyShareCode_ByTheCodeAlone_AnswersThePublicFactsAndStatus()
    {
        var shared = await Server.ShareAsync(Holder, _certificate.Number, days: 30);

        var answer = await Server.VerifyCodeAsync(shared.Code);

        Assert.Matches(CodeForm(), shared.Code);
        Assert.Equal(VerificationResult.Valid, answer.Result);
        Assert.Equal(_certificate.Number, answer.Certificate.Number);
        Assert.Equal("张伟", answer.Certificate.HolderName);
        Assert.Equal(_certificate.Spec.Holder.DocumentMasked, answer.Certificate.HolderDocumentMasked);
        Assert.Equal("应聘 XX 公司", answer.Purpose);
        Assert.Equal(Server.Time.GetUtcNow().AddDays(30), answer.CodeExpireTime.ToDateTimeOffset());
        Assert.Null(answer.Integrity);
        Assert.Equal(new ShareCodeState[] { ShareCodeState.Active }, (await ListAsync()).Select(c => c.State));
    }

    [Fact]
    public async Task VerifyShareCode_AsTyped_IgnoresCaseHyphensAndConfusableLetters()
    {
        var code = (await Server.ShareAsync(Holder, _certificate.Number)).Code;
        var typed = code.Replace("-", " ", StringComparison.Ordinal).Replace('0', 'o').Replace('1', 'l').ToLowerInvariant();

        Assert.Equal(VerificationResult.Valid, (await Server.VerifyCodeAsync(typed)).Result);
    }

    [Fact]
    public async Task VerifyShareCode_RevokedCertificate_AnswersRevoked()
    {
        var code = (await Server.ShareAsync(Holder, _certificate.Number)).Code;
        await Verification.VerificationFixtures.RevokeAsync(Server, _certificate.Number, Committee);

        var answer = await Server.VerifyCodeAsync(code);

        Assert.Equal(VerificationResult.Revoked, answer.Result);
        Assert.Equal(RevocationReason.Other, answer.Certificate.Revocation.Reason);
    }

    [Fact]
    public async Task VerifyShareCode_AroundItsExpiry_AnswersUntilTheLastMillisecondThenLikeAnUnknownCode()
    {
        var shared = await Server.ShareAsync(Holder, _certificate.Number, days: 1);
        var expires = shared.ShareCode.ExpireTime.ToDateTimeOffset();
        Assert.Equal(Server.Time.GetUtcNow().AddDays(1), expires);

        Server.Time.SetUtcNow(expires.AddMilliseconds(-1));
        var lastMoment = await Server.VerifyCodeAsync(shared.Code);
        Server.Time.SetUtcNow(expires);
        var atExpiry = await Server.VerifyCodeAsync(shared.Code);

        Assert.Equal(VerificationResult.Valid, lastMoment.Result);
        Assert.Equal(NotFound, atExpiry);
        Assert.Equal(ShareCodeState.Expired, Assert.Single(await ListAsync()).State);
    }

    [Fact]
    public async Task ExpiredRevokedAndUnknownCodes_AnswerByteForByteAlike()
    {
        var expiring = await Server.ShareAsync(Holder, _certificate.Number, days: 1);
        var revoked = await Server.ShareAsync(Holder, _certificate.Number, days: 180);
        await Server.RevokeCodeAsync(Holder, revoked.ShareCode.Id);
        Server.Time.Advance(TimeSpan.FromDays(2));

        var answers = new[]
        {
            await Server.VerifyCodeAsync(expiring.Code),
            await Server.VerifyCodeAsync(revoked.Code),
            await Server.VerifyCodeAsync(ShareCodeText.Generate()),
        };

        Assert.All(answers, a => Assert.Equal(NotFound.ToByteArray(), a.ToByteArray()));
    }

    [Fact]
    public async Task RevokeShareCode_StopsItAtOnceAndIsFinal()
    {
        var shared = await Server.ShareAsync(Holder, _certificate.Number);

        var revoked = (await Server.RevokeCodeAsync(Holder, shared.ShareCode.Id)).ShareCode;
        var answer = await Server.VerifyCodeAsync(shared.Code);
        var again = await Assert.ThrowsAsync<RpcException>(() => Server.RevokeCodeAsync(Holder, shared.ShareCode.Id));

        Assert.Equal(ShareCodeState.Revoked, revoked.State);
        Assert.Equal(Server.Time.GetUtcNow(), revoked.RevokeTime.ToDateTimeOffset());
        Assert.Equal(NotFound, answer);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal("SHARE_CODE_ALREADY_REVOKED", again.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task VerifyShareCode_IntegrityStatus_OnlyWhenTheHolderIncludedIt()
    {
        await Server.RecordAsync(IntegrityFixtures.Record(person: 1, type: MisconductType.Other));
        var withConsent = await Server.ShareAsync(Holder, _certificate.Number, includeIntegrity: true);
        var without = await Server.ShareAsync(Holder, _certificate.Number, includeIntegrity: false);

        var consented = await Server.VerifyCodeAsync(withConsent.Code);
        var silent = await Server.VerifyCodeAsync(without.Code);

        Assert.True(consented.Integrity.HasActiveRecord);
        Assert.Equal(Dates.ToProto(ChinaCalendar.Today(Server.Time)), consented.Integrity.AsOf);
        Assert.Null(silent.Integrity);
        Assert.Equal(silent.Certificate, consented.Certificate);
    }

    [Fact]
    public async Task VerifyShareCode_IntegrityIncluded_NoActiveRecordAfterRescission()
    {
        var record = await Server.RecordAsync(IntegrityFixtures.Record(person: 1, type: MisconductType.Other));
        var code = (await Server.ShareAsync(Holder, _certificate.Number, includeIntegrity: true)).Code;
        // Another person's active record says nothing about this holder.
        await Server.RecordAsync(IntegrityFixtures.Record(person: 2, type: MisconductType.Other));

        var before = await Server.VerifyCodeAsync(code);
        await Server.RescindAsync(record.Id);
        var after = await Server.VerifyCodeAsync(code);

        Assert.True(before.Integrity.HasActiveRecord);
        Assert.False(after.Integrity.HasActiveRecord);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(181)]
    [InlineData(-1)]
    public async Task CreateShareCode_ValidityOutsideOneTo180Days_IsInvalidArgumentNamingIt(int days)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.ShareAsync(Holder, _certificate.Number, days: days));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["validity_days"], error.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task CreateShareCode_180Days_IsAccepted()
    {
        var shared = await Server.ShareAsync(Holder, _certificate.Number, days: 180);

        Assert.Equal(Server.Time.GetUtcNow().AddDays(180), shared.ShareCode.ExpireTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task CreateShareCode_AnotherHoldersCertificate_IsPermissionDeniedLikeOneThatDoesNotExist()
    {
        var theirs = await Server.IssueAsync(Spec(2), Committee);

        var other = await Assert.ThrowsAsync<RpcException>(() => Server.ShareAsync(Holder, theirs.Number));
        var missing = await Assert.ThrowsAsync<RpcException>(() => Server.ShareAsync(Holder, Verification.VerificationFixtures.UnknownNumber));

        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Equal((missing.StatusCode, missing.Status.Detail), (other.StatusCode, other.Status.Detail));
    }

    [Fact]
    public async Task RevokeShareCode_AnotherHoldersCode_IsPermissionDeniedAndItStillAnswers()
    {
        var shared = await Server.ShareAsync(Holder, _certificate.Number);
        var someoneElse = Server.HolderToken(IdNumber(2));

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.RevokeCodeAsync(someoneElse, shared.ShareCode.Id));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(VerificationResult.Valid, (await Server.VerifyCodeAsync(shared.Code)).Result);
        Assert.Empty((await Server.Holders(someoneElse).ListShareCodesAsync(new ListShareCodesRequest())).ShareCodes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7KQM-2XWD-9FHT")]
    [InlineData("7KQM-2XWD-9FHT-A3CU")]
    [InlineData("7KQM-2XWD-9FHT-A3CN-P")]
    public async Task VerifyShareCode_NotACode_IsInvalidArgumentNamingTheField(string code)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.VerifyCodeAsync(code));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["code"], error.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task CreateShareCode_TheCode_IsStoredOnlyAsAHash()
    {
        var code = (await Server.ShareAsync(Holder, _certificate.Number)).Code;

        var stored = DatabaseFiles.Text(Server);

        Assert.DoesNotContain(code, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), stored, StringComparison.Ordinal);
        Assert.Equal(VerificationResult.Valid, (await Server.VerifyCodeAsync(code)).Result);
    }

    [Fact]
    public async Task CreateAndRevokeShareCode_AreInTheAuditTrailAsThePseudonymousHolderNotInTheLedger()
    {
        var events = Server.LedgerEvents().Count;
        var shared = await Server.ShareAsync(Holder, _certificate.Number);
        await Server.RevokeCodeAsync(Holder, shared.ShareCode.Id);

        var records = (await Server.Audit(Server.AuthorityToken).ListAuditRecordsAsync(new ListAuditRecordsRequest())).Records;

        Assert.Equal(["/credentials.v1.HolderService/RevokeShareCode", "/credentials.v1.HolderService/CreateShareCode"],
            records.Take(2).Select(r => r.Method));
        Assert.All(records.Take(2), r =>
        {
            Assert.Matches("^holder:[0-9a-f]{16}$", r.Principal);
            Assert.Equal("holder", r.Role);
        });
        Assert.DoesNotContain(IdNumber(1), records.ToString(), StringComparison.Ordinal);
        Assert.Equal(events, Server.LedgerEvents().Count);
    }

    [Fact]
    public async Task ListShareCodes_NewestFirstInPagesFilteredByCertificate()
    {
        await Verification.VerificationFixtures.RevokeAsync(Server, _certificate.Number, Committee);
        var other = await Server.IssueAsync(Spec(1, specialty: "岩土工程"), Committee);
        var ids = new List<long>();
        foreach (var number in new[] { _certificate.Number, other.Number, _certificate.Number })
        {
            ids.Add((await Server.ShareAsync(Holder, number)).ShareCode.Id);
        }

        var first = await Server.Holders(Holder).ListShareCodesAsync(new ListShareCodesRequest { PageSize = 2 });
        var second = await Server.Holders(Holder).ListShareCodesAsync(new ListShareCodesRequest { PageSize = 2, PageToken = first.NextPageToken });
        var filtered = await Server.Holders(Holder).ListShareCodesAsync(new ListShareCodesRequest { CertificateNumber = other.Number });

        Assert.Equal([ids[2], ids[1]], first.ShareCodes.Select(c => c.Id));
        Assert.Equal([ids[0]], second.ShareCodes.Select(c => c.Id));
        Assert.Equal("", second.NextPageToken);
        Assert.Equal([ids[1]], filtered.ShareCodes.Select(c => c.Id));
    }

    [Fact]
    public async Task CreateShareCode_PastTheActiveLimit_IsFailedPreconditionUntilOneIsRevoked()
    {
        long last = 0;
        for (var i = 0; i < global::Credentials.Server.Holders.ShareCodes.MaxActivePerHolder; i++)
        {
            last = (await Server.ShareAsync(Holder, _certificate.Number)).ShareCode.Id;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.ShareAsync(Holder, _certificate.Number));
        await Server.RevokeCodeAsync(Holder, last);
        var afterRevoking = await Server.ShareAsync(Holder, _certificate.Number);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("SHARE_CODE_LIMIT", error.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(ShareCodeState.Active, afterRevoking.ShareCode.State);
    }

    [Fact]
    public async Task VerifyStream_ShareCodeItem_AnswersAsTheUnaryMethod()
    {
        var employer = await Server.AddPrincipalAsync("hr-office", Role.Employer);
        var code = (await Server.ShareAsync(Holder, _certificate.Number)).Code;
        using var call = Server.Verification(employer).VerifyStream();

        await call.RequestStream.WriteAsync(new VerifyStreamRequest { CorrelationId = "c1", ShareCode = new VerifyShareCodeRequest { Code = code } });
        await call.RequestStream.CompleteAsync();
        var answer = Assert.Single(await call.ResponseStream.ReadAllAsync().ToListAsync());

        Assert.Equal("c1", answer.CorrelationId);
        Assert.Equal(await Server.VerifyCodeAsync(code), answer.ShareCode);
    }

    private async Task<IReadOnlyList<V1.ShareCode>> ListAsync() => (await Server.Holders(Holder).ListShareCodesAsync(new ListShareCodesRequest())).ShareCodes;
}
