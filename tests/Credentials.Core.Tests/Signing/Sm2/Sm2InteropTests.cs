using System.Text;
using Credentials.Core.Signing;
using Credentials.Core.Signing.Sm2;
using Credentials.Testing;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Credentials.Core.Tests.Signing.Sm2;

/// <summary>Our constant-time SM2 signatures against BouncyCastle's stock SM2Signer and OpenSSL 3.</summary>
public sealed class Sm2InteropTests : IDisposable
{
    private static readonly ECDomainParameters Domain = CreateDomain();

    private readonly OpenSslProcess _openssl = new();

    /// <summary>The smallest and largest private keys, and one with many zero windows.</summary>
    public static TheoryData<string> EdgeKeys =>
    [
        "0000000000000000000000000000000000000000000000000000000000000001",
        "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121", // n - 2
        "8000000000000000000000000000000000000000000000000000000000000000",
    ];

    [Fact]
    public void TrySign_RandomKeysAndNonces_EqualsBouncyCastleSm2SignerWithTheSameNonce()
    {
        var random = new Random(32918);
        for (var i = 0; i < 20; i++)
        {
            using var key = (Sm2SigningKey)SigningKey.Generate(SigningAlgorithm.Sm2Sm3);
            var message = RandomMessage(random);
            var k = new byte[32];
            random.NextBytes(k);
            k[0] &= 0x7F;
            var e = new byte[32];
            ((Sm2VerificationKey)key.PublicKey).Digest(message, e);

            var ours = key.TrySign(e, k);

            var stock = new SM2Signer();
            stock.Init(true, new ParametersWithRandom(PrivateParameters(key), new FixedNonce(k)));
            stock.BlockUpdate(message, 0, message.Length);
            Assert.Equal(stock.GenerateSignature(), ours);
        }
    }

    [Fact]
    public void Sign_ManyMessages_VerifiedByBouncyCastleSm2Signer()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);
        var publicKey = new ECPublicKeyParameters(Domain.Curve.DecodePoint(key.PublicKey.ExportRaw()), Domain);
        var random = new Random(1);
        for (var i = 0; i < 50; i++)
        {
            var message = RandomMessage(random);
            var signature = key.Sign(message);

            var verifier = new SM2Signer();
            verifier.Init(false, publicKey);
            verifier.BlockUpdate(message, 0, message.Length);
            Assert.True(verifier.VerifySignature(signature), $"signature {i} did not verify");
        }
    }

    [Theory]
    [MemberData(nameof(EdgeKeys))]
    public void Sign_EdgeKey_VerifiedByOpenSslAndBouncyCastle(string hex)
    {
        using var key = Sm2SigningKey.FromScalar(Convert.FromHexString(hex));
        var expectedPublic = Domain.G.Multiply(new BigInteger(hex, 16)).Normalize().GetEncoded(false);
        var message = Encoding.UTF8.GetBytes("电子职称证书 " + hex);

        var signature = key.Sign(message);

        Assert.Equal(expectedPublic, key.PublicKey.ExportRaw());
        Assert.True(_openssl.Verifies("SM2-SM3", key.PublicKey.ExportPem(), message, signature));
        var verifier = new SM2Signer();
        verifier.Init(false, new ECPublicKeyParameters(Domain.Curve.DecodePoint(expectedPublic), Domain));
        verifier.BlockUpdate(message, 0, message.Length);
        Assert.True(verifier.VerifySignature(signature));
    }

    [Fact]
    public void Sign_SeveralSignatures_VerifiedByOpenSsl()
    {
        using var key = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);
        var pem = key.PublicKey.ExportPem();
        var random = new Random(2);
        for (var i = 0; i < 8; i++)
        {
            var message = RandomMessage(random);
            var signature = key.Sign(message);

            Assert.True(_openssl.Verifies("SM2-SM3", pem, message, signature), $"signature {i} did not verify");
            message[0] ^= 1;
            Assert.False(_openssl.Verifies("SM2-SM3", pem, message, signature));
        }
    }

    public void Dispose() => _openssl.Dispose();

    private static byte[] RandomMessage(Random random)
    {
        var message = new byte[random.Next(0, 600)];
        random.NextBytes(message);
        return message;
    }

    private static ECPrivateKeyParameters PrivateParameters(SigningKey key)
    {
        // The scalar from the PKCS#8 export: the same bytes the key signs with.
        var der = Convert.FromBase64String(string.Concat(key.ExportPrivateKeyPem().Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        var info = Org.BouncyCastle.Asn1.Pkcs.PrivateKeyInfo.GetInstance(der);
        var ecKey = Org.BouncyCastle.Asn1.Sec.ECPrivateKeyStructure.GetInstance(info.ParsePrivateKey());
        return new ECPrivateKeyParameters(ecKey.GetKey(), Domain);
    }

    private static ECDomainParameters CreateDomain()
    {
        var curve = CustomNamedCurves.GetByName("sm2p256v1");
        return new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
    }

    /// <summary>Hands SM2Signer's random k calculator a chosen nonce (it reads 32 bytes for a 256-bit n).</summary>
    private sealed class FixedNonce(byte[] k) : SecureRandom
    {
        public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

        public override void NextBytes(byte[] buffer, int start, int length) => NextBytes(buffer.AsSpan(start, length));

        public override void NextBytes(Span<byte> buffer) => k.AsSpan(0, buffer.Length).CopyTo(buffer);
    }
}
