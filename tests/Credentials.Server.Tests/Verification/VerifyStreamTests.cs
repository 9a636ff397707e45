using Credentials.Core.Principals;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Grpc.Core;
using static Credentials.Server.Tests.Verification.VerificationFixtures;

namespace Credentials.Server.Tests.Verification;

public sealed class VerifyStreamTests : SeededServerTest
{
    private async Task<List<VerifyStreamResponse>> StreamAsync(string? token, IEnumerable<VerifyStreamRequest> requests)
    {
        using var call = Server.Verification(token).VerifyStream();
        var reading = call.ResponseStream.ReadAllAsync().ToListAsync().AsTask();
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
        }
        await call.RequestStream.CompleteAsync();
        return await reading;
    }

    private static VerifyStreamRequest ByNumber(string id, string number, string name = HolderName) =>
        new() { CorrelationId = id, Certificate = new VerifyCertificateRequest { Number = number, HolderName = name } };

    [Fact]
    public async Task VerifyStream_MixedItems_AnswersEachByItsCorrelationIdAndGoesOnAfterErrors()
    {
        var employer = await Server.AddPrincipalAsync("employer", Role.Employer);
        var valid = await Server.IssueAsync(1, Committee);
        var revoked = await Server.IssueAsync(2, Committee);
        await Server.RevokeAsync(revoked.Number, Committee);

        var responses = await StreamAsync(employer,
        [
            ByNumber("a", valid.Number),
            ByNumber("b", revoked.Number),
            ByNumber("c", valid.Number[..^1] + (valid.Number[^1] == 'A' ? 'B' : 'A')),
            new VerifyStreamRequest { CorrelationId = "d", Envelope = new VerifyEnvelopeRequest { QrText = valid.QrText } },
            ByNumber("e", valid.Number, "李娜"),
            new VerifyStreamRequest { CorrelationId = "f" },
        ]);

        var byId = responses.ToDictionary(r => r.CorrelationId);
        Assert.Equal(6, responses.Count);
        Assert.Equal(VerificationResult.Valid, byId["a"].Certificate.Result);
        Assert.Equal(VerificationResult.Revoked, byId["b"].Certificate.Result);
        Assert.Equal((int)StatusCode.InvalidArgument, byId["c"].Error.Code);
        Assert.Equal(["number"], byId["c"].Error.Fields);
        Assert.Equal(EnvelopeVerdict.Valid, byId["d"].Envelope.Verdict);
        Assert.Equal(VerificationResult.NotFound, byId["e"].Certificate.Result);
        Assert.Equal(["request"], byId["f"].Error.Fields);
    }

    [Fact]
    public async Task VerifyStream_ManyItems_AnswersEveryOneExactlyOnce()
    {
        var valid = await Server.IssueAsync(1, Committee);
        const int Count = 300;

        var responses = await StreamAsync(Server.AuthorityToken, Enumerable.Range(0, Count).Select(i => ByNumber($"item-{i}", i % 2 == 0 ? valid.Number : UnknownNumber)));

        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"item-{i}").Order(), responses.Select(r => r.CorrelationId).Order());
        Assert.All(responses, r => Assert.Equal(
            int.Parse(r.CorrelationId[5..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? VerificationResult.Valid : VerificationResult.NotFound,
            r.Certificate.Result));
    }

    [Theory]
    [InlineData("")]
    [InlineData("tab\there")]
    [InlineData("职称")]
    public async Task VerifyStream_BadCorrelationId_IsAnItemErrorNamingIt(string id)
    {
        var responses = await StreamAsync(Server.AuthorityToken, [ByNumber(id, UnknownNumber), ByNumber("ok", UnknownNumber)]);

        var error = Assert.Single(responses, r => r.ResultCase == VerifyStreamResponse.ResultOneofCase.Error);
        Assert.Equal("", error.CorrelationId);
        Assert.Equal(["correlation_id"], error.Error.Fields);
        Assert.Equal(VerificationResult.NotFound, Assert.Single(responses, r => r.CorrelationId == "ok").Certificate.Result);
    }

    [Fact]
    public async Task VerifyStream_Anonymous_IsUnauthenticated()
    {
        using var call = Server.Verification().VerifyStream();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }
}
