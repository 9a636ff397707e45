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

    /// <summary>e = SM3(Z_A || M), the value that is signed, into 32 bytes.</summary>
    public void Digest(ReadOnlySpan<byte> message, Span<byte> e) => Sm2Domain.Digest(_z, message, e);

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
        // R = (e + x1) mod n must equal r, so x1 is (r - e) mod n, or that plus n if still below
        // p. Comparing X = x1·Z² in Jacobian coordinates saves the inversion of normalising.
        Span<byte> digest = stackalloc byte[Sm2Domain.ScalarLength];
        Digest(message, digest);
        var e = new BigInteger(1, digest);
        var x1 = r.Subtract(e).Mod(n);
        var zSquared = point.GetZCoord(0).Square();
        var p = Sm2Domain.Curve.Field.Characteristic;
        for (; x1.CompareTo(p) < 0; x1 = x1.Add(n))
        {
            if (Sm2Domain.Curve.FromBigInteger(x1).Multiply(zSquared).Equals(point.XCoord))
            {
                return true;
            }
        }
        return false;
    }
}
