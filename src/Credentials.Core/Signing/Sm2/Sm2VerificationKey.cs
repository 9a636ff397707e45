using Credentials.Core.Signing.Asn1;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Credentials.Core.Signing.Sm2;

/// <summary>
/// SM2 verification (GB/T 32918.2 §7). Per key, it keeps Z_A and the precomputed tables of the
/// public point, which BouncyCastle's SM2Signer would recompute on every use.
/// </summary>
internal sealed class Sm2VerificationKey : VerificationKey
{
    private readonly byte[] _z;
    private readonly PrecomputedPoint _table;

    public Sm2VerificationKey(byte[] raw)
        : this(raw, Sm2Domain.DecodePoint(raw))
    {
    }

    public Sm2VerificationKey(byte[] raw, ECPoint point)
        : base(SigningAlgorithm.Sm2Sm3, raw)
    {
        _z = Sm2Domain.ComputeZ(point);
        _table = new PrecomputedPoint(point, PrecomputedPoint.KeyWidth);
    }

    public override bool IsWellFormedSignature(ReadOnlySpan<byte> signature) =>
        DerSignature.TryDecode(signature, Sm2Domain.Order, stackalloc byte[Sm2Domain.ScalarLength], stackalloc byte[Sm2Domain.ScalarLength]);

    /// <summary>e = SM3(Z_A || M), the value that is signed.</summary>
    public byte[] Digest(ReadOnlySpan<byte> message) => Sm2Domain.Digest(_z, message);

    private protected override bool VerifyWellFormed(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        Span<byte> rBytes = stackalloc byte[Sm2Domain.ScalarLength];
        Span<byte> sBytes = stackalloc byte[Sm2Domain.ScalarLength];
        if (!DerSignature.TryDecode(signature, Sm2Domain.Order, rBytes, sBytes))
        {
            return false;
        }
        var n = Sm2Domain.N;
        var r = new BigInteger(1, rBytes.ToArray());
        var s = new BigInteger(1, sBytes.ToArray());
        var t = r.Add(s).Mod(n);
        if (t.SignValue == 0)
        {
            return false;
        }
        var point = PrecomputedPoint.SumOfTwoMultiplies(Sm2Domain.BaseTable, s, _table, t);
        if (point.IsInfinity)
        {
            return false;
        }
        var e = new BigInteger(1, Digest(message));
        var x1 = point.Normalize().AffineXCoord.ToBigInteger();
        return e.Add(x1).Mod(n).Equals(r);
    }
}
