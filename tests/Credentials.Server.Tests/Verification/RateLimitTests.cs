using Credentials.Core.Principals;
using Credentials.Server.Tests.Certificates;
using Credentials.V1;
using Google.Rpc;
using Grpc.Core;
using static Credentials.Server.Tests.Verification.VerificationFixtures;

namespace Credentials.Server.Tests.Verification;

/// <summary>
/// Limits of 3 calls per hour (the limiter keeps its own clock, so the window is long enough
/// never to roll over during a test): the fourth call is refused.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const int Permits = 3;
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(null,
        $"--RateLimits:Anonymous:Permits={Permits}", "--RateLimits:Anonymous:Window=01:00:00",
        $"--RateLimits:Employer:Permits={Permits}", "--RateLimits:Employer:Window=01:00:00");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static void AssertRateLimited(RpcException error)
    {
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("RATE_LIMITED", error.GetDetail<ErrorInfo>()?.Reason);
        var retry = error.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan();
        Assert.InRange(retry, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task VerifyCertificate_AnonymousOverTheLimit_IsResourceExhaustedWithRetryInfo()
    {
        for (var i = 0; i < Permits; i++)
        {
            Assert.Equal(VerificationResult.NotFound, (await _server.VerifyAsync(UnknownNumber)).Result);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => _server.VerifyAsync(UnknownNumber));

        AssertRateLimited(error);
    }

    [Fact]
    public async Task VerifyEnvelope_SharesTheLimitOfVerifyCertificate()
    {
        for (var i = 0; i < Permits; i++)
        {
            await _server.VerifyAsync(UnknownNumber);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => _server.VerifyEnvelopeAsync(new VerifyEnvelopeRequest { QrText = "TC1:garbage" }));

        AssertRateLimited(error);
    }

    [Fact]
    public async Task VerifyCertificate_EmployerOverTheLimit_IsLimitedPerPrincipal()
    {
        var first = await _server.AddPrincipalAsync("employer-1", Role.Employer);
        var second = await _server.AddPrincipalAsync("employer-2", Role.Employer);
        for (var i = 0; i < Permits; i++)
        {
            await _server.VerifyAsync(UnknownNumber, token: first);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => _server.VerifyAsync(UnknownNumber, token: first));
        var other = await _server.VerifyAsync(UnknownNumber, token: second);

        AssertRateLimited(error);
        Assert.Equal(VerificationResult.NotFound, other.Result);
    }

    [Fact]
    public async Task VerifyShareCode_GuessingOverTheLimit_IsResourceExhausted()
    {
        // Guessed codes: well formed, matching none.
        for (var i = 0; i < Permits; i++)
        {
            var answer = await _server.Verification().VerifyShareCodeAsync(new VerifyShareCodeRequest { Code = Core.Holders.ShareCodeText.Generate() });
            Assert.Equal(VerificationResult.NotFound, answer.Result);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _server.Verification().VerifyShareCodeAsync(new VerifyShareCodeRequest { Code = Core.Holders.ShareCodeText.Generate() }).ResponseAsync);

        AssertRateLimited(error);
    }

    [Fact]
    public async Task GetIntegrityStatus_Committee_SharesTheCommitteeLimitWhenConfigured()
    {
        await using var server = await TestServer.StartAsync(null, $"--RateLimits:Committee:Permits={Permits}", "--RateLimits:Committee:Window=01:00:00");
        await server.SeedDalianCommitteesAsync();
        var committee = await server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");
        var request = new GetIntegrityStatusRequest { DocumentType = DocumentType.ResidentIdCard, DocumentNumber = CertificateFixtures.IdNumber(1) };
        for (var i = 0; i < Permits; i++)
        {
            await server.Integrity(committee).GetIntegrityStatusAsync(request);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Integrity(committee).GetIntegrityStatusAsync(request).ResponseAsync);

        AssertRateLimited(error);
    }

    [Fact]
    public async Task VerifyCertificate_AuthorityAndPlatform_AreNotLimited()
    {
        var platform = await _server.AddPrincipalAsync("platform", Role.Platform);

        for (var i = 0; i < Permits * 3; i++)
        {
            await _server.VerifyAsync(UnknownNumber, token: _server.AuthorityToken);
            await _server.VerifyAsync(UnknownNumber, token: platform);
        }
    }

    [Fact]
    public async Task VerifyStream_EmployerOverTheLimit_RefusesTheExtraItemsAndGoesOn()
    {
        var employer = await _server.AddPrincipalAsync("employer", Role.Employer);
        using var call = _server.Verification(employer).VerifyStream();
        for (var i = 0; i < Permits + 2; i++)
        {
            await call.RequestStream.WriteAsync(new VerifyStreamRequest
            {
                CorrelationId = $"c{i}", Certificate = new VerifyCertificateRequest { Number = UnknownNumber, HolderName = HolderName },
            });
        }
        await call.RequestStream.CompleteAsync();
        var responses = await call.ResponseStream.ReadAllAsync().ToListAsync();

        Assert.Equal(Permits + 2, responses.Count);
        Assert.Equal(Permits, responses.Count(r => r.ResultCase == VerifyStreamResponse.ResultOneofCase.Certificate));
        Assert.All(responses.Where(r => r.ResultCase == VerifyStreamResponse.ResultOneofCase.Error),
            r => Assert.Equal((int)StatusCode.ResourceExhausted, r.Error.Code));
    }
}
