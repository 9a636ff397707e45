using Credentials.Core.Envelopes;
using Credentials.Core.Principals;
using Credentials.Server.Keys;
using Credentials.Testing;
using Credentials.V1;
using Credentials.Store.Audit;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Certificates;

/// <summary>Certificates issued over gRPC verify with OpenSSL 3, for each signing algorithm.</summary>
public sealed class IssuedEnvelopeOpenSslTests : IAsyncLifetime
{
    private readonly OpenSslProcess _openssl = new();
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.SeedDalianCommitteesAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _openssl.Dispose();
    }

    [Theory]
    [InlineData("SM2-SM3")]
    [InlineData("ECDSA-P256-SHA256")]
    [InlineData("Ed25519")]
    public async Task IssueCertificate_Envelope_VerifiesWithOpenSsl(string algorithm)
    {
        var keyId = await _server.Services.GetRequiredService<KeyManagement>().RotateAsync(algorithm, AuditEntry.Local("test", "test"));
        var token = await _server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");

        var certificate = (await _server.Certificates(token).IssueCertificateAsync(Issue("r1"))).Certificate;

        var envelope = certificate.Envelope;
        var signature = Assert.Single(envelope.Signatures);
        Assert.Equal(keyId, signature.Keyid);
        var publicKey = _server.Services.GetRequiredService<KeyRing>().Find(keyId)!.ExportPem();
        var signed = Pae.Encode(envelope.PayloadType, envelope.Payload.Span);
        Assert.True(_openssl.Verifies(algorithm, publicKey, signed, signature.Sig.ToByteArray()), "openssl rejected our signature");
        var tampered = (byte[])signed.Clone();
        tampered[^1] ^= 1;
        Assert.False(_openssl.Verifies(algorithm, publicKey, tampered, signature.Sig.ToByteArray()), "openssl accepted a changed document");
    }
}
