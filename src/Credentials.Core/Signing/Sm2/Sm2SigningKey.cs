using System.Numerics;
using System.Security.Cryptography;
using Credentials.Core.Signing.Asn1;

namespace Credentials.Core.Signing.Sm2;

/// <summary>
/// SM2 signing (GB/T 32918.2 §6). k·G uses precomputed tables of G with constant-time
/// lookups (<see cref="FixedBaseMultiplier"/>); (1 + d)^-1 and Z_A are computed once per key
/// rather than per signature; the scalar arithmetic uses System.Numerics, several times faster
/// than BouncyCastle's BigInteger at this size.
/// </summary>
internal sealed class Sm2SigningKey : SigningKey
{
    private static readonly BigInteger Order = ToNumber(Sm2Domain.Order);

    private readonly byte[] _d;
    private readonly BigInteger _dNumber;
    private readonly BigInteger _inverseOfOnePlusD;
    private readonly Sm2VerificationKey _publicKey;

    private Sm2SigningKey(byte[] d, Sm2VerificationKey publicKey)
        : base(publicKey)
    {
        _d = d;
        _dNumber = ToNumber(d);
        _inverseOfOnePlusD = BigInteger.ModPow(_dNumber + 1, Order - 2, Order);
        _publicKey = publicKey;
    }

    public static Sm2SigningKey Generate() => FromScalar(RandomScalar(maxExclusive: Order - 1));

    /// <summary>From the content of a PKCS#8 privateKey OCTET STRING (an RFC 5915 ECPrivateKey).</summary>
    public static Sm2SigningKey FromEcPrivateKey(ReadOnlyMemory<byte> ecPrivateKey)
    {
        var (d, publicPoint) = PrivateKeyInfo.DecodeEcPrivateKey(ecPrivateKey, Oids.Sm2Curve);
        var key = FromScalar(d);
        if (publicPoint is not null && !publicPoint.AsSpan().SequenceEqual(key._publicKey.ExportRaw()))
        {
            key.Dispose();
            throw new FormatException("The SM2 private key's public key does not match its private scalar.");
        }
        return key;
    }

    private protected override byte[] SignCore(ReadOnlySpan<byte> message)
    {
        var e = ToNumber(_publicKey.Digest(message));
        while (true)
        {
            var k = RandomScalar(maxExclusive: Order);
            var signature = TrySign(e, k);
            CryptographicOperations.ZeroMemory(k);
            if (signature is not null)
            {
                return signature;
            }
        }
    }

    /// <summary>
    /// One attempt with nonce k (32 bytes, big-endian, in [1, n-1]); null when GB/T 32918 says
    /// to choose another k (r = 0, r + k = n or s = 0). Tests call it with the standard's k.
    /// </summary>
    internal byte[]? TrySign(BigInteger e, byte[] k)
    {
        var point = Sm2Domain.BaseMultiplier.Multiply(k).Normalize();
        var x1 = ToNumber(point.AffineXCoord.GetEncoded());
        var kNumber = ToNumber(k);
        var r = (e + x1) % Order;
        if (r.IsZero || r + kNumber == Order)
        {
            return null;
        }
        var s = _inverseOfOnePlusD * (kNumber - r * _dNumber) % Order;
        if (s.Sign < 0)
        {
            s += Order;
        }
        if (s.IsZero)
        {
            return null;
        }
        return DerSignature.Encode(ToBytes(r), ToBytes(s));
    }

    private protected override byte[] ExportPkcs8()
    {
        var ecPrivateKey = PrivateKeyInfo.EncodeEcPrivateKey(_d, _publicKey.ExportRaw());
        try
        {
            return PrivateKeyInfo.Encode(SigningAlgorithm.Sm2Sm3, ecPrivateKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ecPrivateKey);
        }
    }

    private protected override void Dispose(bool disposing) => CryptographicOperations.ZeroMemory(_d);

    internal static BigInteger ToNumber(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    /// <summary>From a 32-byte big-endian private scalar, which the key then owns.</summary>
    /// <exception cref="FormatException">d is not in [1, n-2].</exception>
    internal static Sm2SigningKey FromScalar(byte[] d)
    {
        // d = n-1 would make 1 + d non-invertible; GB/T 32918 keys are in [1, n-2].
        var value = ToNumber(d);
        if (value.IsZero || value >= Order - 1)
        {
            throw new FormatException("The SM2 private key is out of range.");
        }
        var point = Sm2Domain.BaseMultiplier.Multiply(d).Normalize();
        return new Sm2SigningKey(d, new Sm2VerificationKey(Sm2Domain.EncodePoint(point), point));
    }

    /// <summary>A uniformly random scalar in [1, maxExclusive), by rejection.</summary>
    private static byte[] RandomScalar(BigInteger maxExclusive)
    {
        var bytes = new byte[Sm2Domain.ScalarLength];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var value = ToNumber(bytes);
            if (!value.IsZero && value < maxExclusive)
            {
                return bytes;
            }
        }
    }

    private static byte[] ToBytes(BigInteger value)
    {
        var bytes = new byte[Sm2Domain.ScalarLength];
        value.TryWriteBytes(bytes.AsSpan(Sm2Domain.ScalarLength - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }
}
