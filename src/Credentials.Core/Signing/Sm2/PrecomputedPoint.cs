using System.Diagnostics;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace Credentials.Core.Signing.Sm2;

/// <summary>
/// Precomputed multiples of one point for a·P + b·Q with public scalars (verification only:
/// this runs in variable time). A scalar's width-w NAF is cut into chunks of 16 digits; chunk j
/// is multiplied against its own table of odd multiples of 2^(16j)·P. Interleaving all chunks
/// of both scalars (Straus) needs 17 doublings instead of 256, and wide windows keep the
/// additions few (about 60). The tables are built once per point with BouncyCastle's wNAF precomputation
/// (affine points, so every addition is a cheaper mixed addition) and then only read, so one
/// instance serves any number of threads.
/// </summary>
internal sealed class PrecomputedPoint
{
    /// <summary>Window for the generator: 64 odd multiples per chunk, built once per process.</summary>
    public const int BaseWidth = 8;

    /// <summary>Window for public keys: 32 odd multiples per chunk, a few ms to build per key.</summary>
    public const int KeyWidth = 7;

    private const int ScalarBits = 256;
    private const int ChunkDigits = 16;
    private const int Chunks = ScalarBits / ChunkDigits;

    private readonly int _width;
    private readonly ECPoint[][] _positive = new ECPoint[Chunks][];
    private readonly ECPoint[][] _negative = new ECPoint[Chunks][];

    public PrecomputedPoint(ECPoint point, int width)
    {
        _width = width;
        var chunkBase = point.Normalize();
        for (var chunk = 0; chunk < Chunks; chunk++)
        {
            var info = WNafUtilities.Precompute(chunkBase, width, includeNegated: true);
            _positive[chunk] = info.PreComp;
            _negative[chunk] = info.PreCompNeg;
            chunkBase = chunkBase.TimesPow2(ChunkDigits).Normalize();
        }
    }

    /// <summary>a·P + b·Q for 0 &lt;= a, b &lt; 2^256, in Jacobian coordinates (may be the identity).</summary>
    public static ECPoint SumOfTwoMultiplies(PrecomputedPoint p, BigInteger a, PrecomputedPoint q, BigInteger b)
    {
        Debug.Assert(a.SignValue >= 0 && a.BitLength <= ScalarBits && b.SignValue >= 0 && b.BitLength <= ScalarBits);
        var nafA = WNafUtilities.GenerateWindowNaf(p._width, a);
        var nafB = WNafUtilities.GenerateWindowNaf(q._width, b);
        var result = p._positive[0][0].Curve.Infinity;
        // A 256-bit scalar's NAF may have a 257th digit; the last chunk takes it at offset 16.
        for (var offset = ChunkDigits; offset >= 0; offset--)
        {
            result = result.Twice();
            result = p.AddDigits(result, nafA, offset);
            result = q.AddDigits(result, nafB, offset);
        }
        return result;
    }

    private ECPoint AddDigits(ECPoint result, byte[] naf, int offset)
    {
        for (var chunk = offset == ChunkDigits ? Chunks - 1 : 0; chunk < Chunks; chunk++)
        {
            var position = chunk * ChunkDigits + offset;
            if (position >= naf.Length)
            {
                break;
            }
            int digit = (sbyte)naf[position];
            if (digit > 0)
            {
                result = result.Add(_positive[chunk][digit >> 1]);
            }
            else if (digit < 0)
            {
                result = result.Add(_negative[chunk][-digit >> 1]);
            }
        }
        return result;
    }
}
