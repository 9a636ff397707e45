using Credentials.Core.Principals;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Grpc.Core;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Holders;

/// <summary>
/// Holders sign in with the identity provider's JWT: a valid token is the holder of its ID number; every way a token
/// can be wrong is UNAUTHENTICATED with its reason; a holder reaches only their own certificates and only the holder
/// methods, and the other roles do not reach the holder methods.
/// </summary>
public sealed class HolderSignInTests : SeededServerTest
{
    private static readonly string Holder = IdNumber(1);

    private Task<GetMeResponse> GetMeAsync(string token) => Server.Holders(token).GetMeAsync(new GetMeRequest()).ResponseAsync;

    private async Task<RpcException> RefusedAsync(string token) => await Assert.ThrowsAsync<RpcException>(() => GetMeAsync(token));

    [Fact]
    public async Task GetMe_ValidToken_IsTheHolderWithTheNumberMasked()
    {
        var token = TestHolders.Token(Server.Time.GetUtcNow(), Holder, lifetime: TimeSpan.FromMinutes(30));

        var me = await GetMeAsync(token);

        Assert.Equal("张伟", me.Holder.Name);
        Assert.Equal(DocumentType.ResidentIdCard, me.Holder.DocumentType);
        Assert.Equal(Holder[..2] + new string('*', 14) + Holder[^2..], me.Holder.DocumentMasked);
        Assert.Equal("", me.Holder.DocumentNumber);
        Assert.Equal(Server.Time.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds(), me.TokenExpireTime.Seconds);
    }

    [Fact]
    public async Task ListMyCertificates_ValidToken_ListsExactlyTheHoldersCertificatesRevokedOnesToo()
    {
        var revoked = await Server.IssueAsync(Spec(1), Committee);
        await Verification.VerificationFixtures.RevokeAsync(Server, revoked.Number, Committee);
        var valid = await Server.IssueAsync(Spec(1, specialty: "岩土工程"), Committee);
        await Server.IssueAsync(Spec(2), Committee);

        var mine = await Server.Holders(Server.HolderToken(Holder)).ListMyCertificatesAsync(new ListMyCertificatesRequest());

        Assert.Equal([(revoked.Number, CertificateState.Revoked), (valid.Number, CertificateState.Valid)], mine.Certificates.Select(c => (c.Number, c.State)));
        Assert.Equal(RevocationReason.Other, mine.Certificates[0].Revocation.Reason);
        Assert.All(mine.Certificates, c =>
        {
            Assert.StartsWith("TC1:", c.QrText, StringComparison.Ordinal);
            Assert.Equal(2, c.DocumentVersion);
            Assert.Equal("", c.IssuedBy);
            Assert.Equal("", c.Revocation?.RecordedBy ?? "");
        });
    }

    [Fact]
    public async Task GetMe_ExpiredToken_IsUnauthenticated()
    {
        var token = TestHolders.Token(Server.Time.GetUtcNow(), Holder, lifetime: TimeSpan.FromMinutes(10));
        Server.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        var error = await RefusedAsync(token);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("The holder token has expired.", error.Status.Detail);
    }

    [Fact]
    public async Task GetMe_WithinTheClockSkewAfterExpiry_IsAccepted()
    {
        var token = TestHolders.Token(Server.Time.GetUtcNow(), Holder, lifetime: TimeSpan.FromMinutes(10));
        Server.Time.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal("张伟", (await GetMeAsync(token)).Holder.Name);
    }

    [Fact]
    public async Task GetMe_TokenNotValidYet_IsUnauthenticated()
    {
        var token = TestHolders.Token(Server.Time.GetUtcNow(), Holder, notBefore: Server.Time.GetUtcNow().AddMinutes(10));

        var error = await RefusedAsync(token);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("The holder token is not valid yet.", error.Status.Detail);
    }

    [Fact]
    public async Task GetMe_WrongIssuer_IsUnauthenticated()
    {
        var error = await RefusedAsync(TestHolders.Token(Server.Time.GetUtcNow(), Holder, issuer: "https://login.elsewhere.example"));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("The holder token's issuer is not trusted.", error.Status.Detail);
    }

    [Fact]
    public async Task GetMe_WrongAudience_IsUnauthenticated()
    {
        var error = await RefusedAsync(TestHolders.Token(Server.Time.GetUtcNow(), Holder, audience: "another-service"));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("The holder token is for another audience than this service.", error.Status.Detail);
    }

    [Theory]
    [InlineData("test-provider-1")]
    [InlineData("another-key")]
    public async Task GetMe_SignedWithAnUntrustedKey_IsUnauthenticated(string keyId)
    {
        // The provider's key id with another key, and an unknown key id.
        var error = await RefusedAsync(TestHolders.Token(Server.Time.GetUtcNow(), Holder, key: TestHolders.NewKey(keyId)));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("The holder token's signature does not verify under a key of a trusted issuer.", error.Status.Detail);
    }

    [Fact]
    public async Task GetMe_TokenWithoutTheIdClaim_IsUnauthenticated()
    {
        var error = await RefusedAsync(TestHolders.Token(Server.Time.GetUtcNow(), idNumber: null));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("The holder token carries no valid 'id_number' claim: it must be an 18-character ID number.", error.Status.Detail);
    }

    [Fact]
    public async Task GetMe_IdClaimWithAWrongCheckCharacter_IsUnauthenticatedWithoutRepeatingIt()
    {
        var wrong = Holder[..17] + (Holder[17] == '0' ? '1' : '0');

        var error = await RefusedAsync(TestHolders.Token(Server.Time.GetUtcNow(), wrong));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("The holder token carries no valid 'id_number' claim: it has a wrong check character.", error.Status.Detail);
    }

    [Fact]
    public async Task GetMe_MalformedJwt_IsUnauthenticated()
    {
        var token = TestHolders.Token(Server.Time.GetUtcNow(), Holder);

        var error = await RefusedAsync(token[..^10] + "AAAAAAAAAA");

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task GetMyCertificate_AnotherHoldersCertificate_IsPermissionDeniedLikeOneThatDoesNotExist()
    {
        var theirs = await Server.IssueAsync(Spec(2), Committee);
        var holder = Server.Holders(Server.HolderToken(Holder));

        var other = await Assert.ThrowsAsync<RpcException>(() => holder.GetMyCertificateAsync(new GetMyCertificateRequest { Number = theirs.Number }).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => holder.GetMyCertificateAsync(
            new GetMyCertificateRequest { Number = Verification.VerificationFixtures.UnknownNumber }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Equal((missing.StatusCode, missing.Status.Detail), (other.StatusCode, other.Status.Detail));
    }

    [Fact]
    public async Task GetMyCertificate_OwnCertificate_IsTheCertificate()
    {
        var mine = await Server.IssueAsync(Spec(1), Committee);

        var read = await Server.Holders(Server.HolderToken(Holder)).GetMyCertificateAsync(new GetMyCertificateRequest { Number = mine.Number });

        Assert.Equal(mine.Envelope, read.Certificate.Envelope);
        Assert.Equal(mine.QrText, read.Certificate.QrText);
    }

    [Fact]
    public async Task HolderToken_OnAnotherRolesMethod_IsPermissionDenied()
    {
        var certificate = await Server.IssueAsync(Spec(1), Committee);
        var token = Server.HolderToken(Holder);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Server.Certificates(token).GetCertificateAsync(new GetCertificateRequest { Number = certificate.Number }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("The holder role may not call GetCertificate.", error.Status.Detail);
    }

    [Theory]
    [InlineData(Role.Authority)]
    [InlineData(Role.Employer)]
    [InlineData(Role.Platform)]
    public async Task HolderMethods_PrincipalTokens_ArePermissionDenied(Role role)
    {
        var token = role == Role.Authority ? Server.AuthorityToken : await Server.AddPrincipalAsync("p", role);

        var error = await Assert.ThrowsAsync<RpcException>(() => Server.Holders(token).ListMyCertificatesAsync(new ListMyCertificatesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task HolderMethods_WithoutToken_AreUnauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.Holders().ListMyCertificatesAsync(new ListMyCertificatesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }
}
