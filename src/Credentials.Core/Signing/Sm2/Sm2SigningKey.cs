using System.Security.Cryptography;
using Credentials.Core.Signing.Asn1;
using Fn = Credentials.Core.Signing.Sm2.Montgomery<Credentials.Core.Signing.Sm2.Sm2GroupOrder>;

namespace Credentials.Core.Signing.Sm2;

/// <summary>
/// SM2 signing (GB/T 32918.2 §6), constant-time with respect to the private key d and the
/// nonce k: k·G by <see cref="FixedBaseMultiplier"/> (no digit skipped, masked lookups,
/// complete additions, a Fermat inversion with a fixed chain), and the scalar arithmetic mod n
/// in fixed-width Montgomery form (<see cref="Montgomery{TModulus}"/>), never BigInteger. The
/// only branches in signing are on public values or on events of probability about 2^-256
/// (r = 0, r + k = n, s = 0), as GB/T 32918 prescribes. Z_A and (1 + d)^-1 are computed once
/// per key. The threat model is in docs/SECURITY.md, "Signing keys and SM2".
/// </summary>
internal sealed class Sm2SigningKey : SigningKey
{
    private static readonly UInt256 OrderMinusOne = Fn.Subtract(UInt256.Zero, UInt256.One);
    private static readonly UInt256 OrderMinusTwo = Fn.Subtract(OrderMinusOne, UInt256.One);

    private readonly byte[] _d;
    private readonly Sm2VerificationKey _publicKey;
    private UInt256 _dMontgomery;
    private UInt256 _inverseOfOnePlusDMontgomery;

    private Sm2SigningKey(byte[] d, UInt256 scalar, Sm2VerificationKey publicKey)
        : base(publicKey)
    {
        _d = d;
        _publicKey = publicKey;
        _dMontgomery = Fn.ToMontgomery(scalar);
        // d <= n - 2, so 1 + d does not wrap; inverted by Fermat with the public exponent n - 2.
        var onePlusD = UInt256.Add(scalar, UInt256.One, out _);
        _inverseOfOnePlusDMontgomery = Fn.Power(Fn.ToMontgomery(onePlusD), OrderMinusTwo);
    }

    public static Sm2SigningKey Generate() => FromScalar(RandomScalar(maxExclusive: OrderMinusOne));

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
        Span<byte> e = stackalloc byte[Sm2Domain.ScalarLength];
        _publicKey.Digest(message, e);
        var k = new byte[Sm2Domain.ScalarLength];
        try
        {
            while (true)
            {
                RandomScalar(maxExclusive: Sm2GroupOrder.Value, k);
                var signature = TrySign(e, k);
                if (signature is not null)
                {
                    return signature;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k);
        }
    }

    /// <summary>
    /// One attempt with digest e and nonce k (32 bytes each, big-endian, k in [1, n-1]); null
    /// when GB/T 32918 says to choose another k (r = 0, r + k = n or s = 0). Tests call it with
    /// the standard's k.
    /// </summary>
    internal byte[]? TrySign(ReadOnlySpan<byte> e, ReadOnlySpan<byte> k)
    {
        Span<byte> x1 = stackalloc byte[Sm2Domain.ScalarLength];
        Sm2Domain.BaseMultiplier.Multiply(k).ToAffine(x1, []);
        var nonce = UInt256.FromBigEndian(k);
        // r = (e + x1) mod n; e and x1 are below 2^256 < 2n, so one reduction each.
        var r = Fn.Add(Fn.Reduce(UInt256.FromBigEndian(e)), Fn.Reduce(UInt256.FromBigEndian(x1)));
        var retry = UInt256.IsZeroMask(r) | UInt256.IsZeroMask(Fn.Add(r, nonce));
        // s = (1 + d)^-1 · (k - r·d) mod n; a plain factor times a Montgomery one is plain.
        var rd = Fn.Multiply(r, _dMontgomery);
        var s = Fn.Multiply(Fn.Subtract(nonce, rd), _inverseOfOnePlusDMontgomery);
        retry |= UInt256.IsZeroMask(s);
        if (retry != 0)
        {
            return null;
        }
        Span<byte> rBytes = stackalloc byte[Sm2Domain.ScalarLength];
        Span<byte> sBytes = stackalloc byte[Sm2Domain.ScalarLength];
        r.WriteBigEndian(rBytes);
        s.WriteBigEndian(sBytes);
        return DerSignature.Encode(rBytes, sBytes);
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

    private protected override void Dispose(bool disposing)
    {
        CryptographicOperations.ZeroMemory(_d);
        _dMontgomery = default;
        _inverseOfOnePlusDMontgomery = default;
    }

    /// <summary>From a 32-byte big-endian private scalar, which the key then owns.</summary>
    /// <exception cref="FormatException">d is not in [1, n-2].</exception>
    internal static Sm2SigningKey FromScalar(byte[] d)
    {
        // d = n-1 would make 1 + d non-invertible; GB/T 32918 keys are in [1, n-2]. The check
        // is constant-time; only its outcome, a refused key, is visible.
        var scalar = UInt256.FromBigEndian(d);
        if ((~UInt256.IsZeroMask(scalar) & UInt256.LessThanMask(scalar, OrderMinusOne)) == 0)
        {
            throw new FormatException("The SM2 private key is out of range.");
        }
        var publicKey = new byte[1 + 2 * Sm2Domain.ScalarLength];
        publicKey[0] = 0x04;
        Sm2Domain.BaseMultiplier.Multiply(d).ToAffine(publicKey.AsSpan(1, Sm2Domain.ScalarLength), publicKey.AsSpan(1 + Sm2Domain.ScalarLength));
        return new Sm2SigningKey(d, scalar, new Sm2VerificationKey(publicKey));
    }

    private static byte[] RandomScalar(UInt256 maxExclusive)
    {
        var bytes = new byte[Sm2Domain.ScalarLength];
        RandomScalar(maxExclusive, bytes);
        return bytes;
    }

    /// <summary>
    /// A uniformly random scalar in [1, maxExclusive), by rejection. The range test is
    /// constant-time; a rejected candidate is thrown away, so its timing tells nothing.
    /// </summary>
    private static void RandomScalar(UInt256 maxExclusive, Span<byte> destination)
    {
        while (true)
        {
            RandomNumberGenerator.Fill(destination);
            var value = UInt256.FromBigEndian(destination);
            var accept = ~UInt256.IsZeroMask(value) & UInt256.LessThanMask(value, maxExclusive);
            if (accept != 0)
            {
                return;
            }
        }
    }
}
