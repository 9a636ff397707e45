using System.Security.Cryptography;
using Credentials.Core.Signing.Asn1;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Credentials.Core.Signing.Eddsa;

/// <summary>Ed25519 signing through BouncyCastle's static, stateless RFC 8032 code.</summary>
internal sealed class Ed25519SigningKey : SigningKey
{
    private readonly byte[] _seed;
    private readonly byte[] _publicKey;

    private Ed25519SigningKey(byte[] seed, byte[] publicKey)
        : base(new Ed25519VerificationKey(publicKey))
    {
        _seed = seed;
        _publicKey = publicKey;
    }

    public static Ed25519SigningKey Generate() => FromSeed(RandomNumberGenerator.GetBytes(Ed25519.SecretKeySize));

    /// <summary>From the content of a PKCS#8 privateKey OCTET STRING (an RFC 8410 CurvePrivateKey).</summary>
    public static Ed25519SigningKey FromCurvePrivateKey(ReadOnlyMemory<byte> curvePrivateKey) =>
        FromSeed(PrivateKeyInfo.DecodeEd25519PrivateKey(curvePrivateKey));

    private static Ed25519SigningKey FromSeed(byte[] seed)
    {
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
        return new Ed25519SigningKey(seed, publicKey);
    }

    private protected override byte[] SignCore(ReadOnlySpan<byte> message)
    {
        var bytes = message.ToArray();
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_seed, 0, _publicKey, 0, bytes, 0, bytes.Length, signature, 0);
        return signature;
    }

    private protected override byte[] ExportPkcs8()
    {
        var curvePrivateKey = PrivateKeyInfo.EncodeEd25519PrivateKey(_seed);
        try
        {
            return PrivateKeyInfo.Encode(SigningAlgorithm.Ed25519, curvePrivateKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(curvePrivateKey);
        }
    }

    private protected override void Dispose(bool disposing) => CryptographicOperations.ZeroMemory(_seed);
}
