using Fp = Credentials.Core.Signing.Sm2.Montgomery<Credentials.Core.Signing.Sm2.Sm2FieldPrime>;

namespace Credentials.Core.Signing.Sm2;

/// <summary>Field constants of sm2p256v1 in Montgomery form, and constant-time inversion.</summary>
internal static class Sm2Field
{
    /// <summary>The curve's b (a is -3), in Montgomery form.</summary>
    public static readonly UInt256 B = Fp.ToMontgomery(UInt256.FromBigEndian(Sm2Domain.Curve.B.GetEncoded()));

    /// <summary>
    /// x^-1 = x^(p-2) by Fermat (0 for x = 0), in Montgomery form. The exponent is public, so
    /// this fixed addition chain (256 squarings, 15 multiplications) runs the same steps for
    /// every x. p - 2 is, from the top: 31 ones, a zero, 128 ones, 32 zeros, 62 ones, 0, 1.
    /// </summary>
    public static UInt256 Invert(in UInt256 x)
    {
        var x2 = Fp.Multiply(Fp.Square(x), x);
        var x3 = Fp.Multiply(Fp.Square(x2), x);
        var x6 = Fp.Multiply(SquareTimes(x3, 3), x3);
        var x12 = Fp.Multiply(SquareTimes(x6, 6), x6);
        var x15 = Fp.Multiply(SquareTimes(x12, 3), x3);
        var x30 = Fp.Multiply(SquareTimes(x15, 15), x15);
        var x31 = Fp.Multiply(Fp.Square(x30), x);
        var x32 = Fp.Multiply(Fp.Square(x31), x);

        var result = Fp.Square(x31);
        for (var i = 0; i < 4; i++)
        {
            result = Fp.Multiply(SquareTimes(result, 32), x32);
        }
        result = SquareTimes(result, 32);
        result = Fp.Multiply(SquareTimes(result, 32), x32);
        result = Fp.Multiply(SquareTimes(result, 30), x30);
        return Fp.Multiply(SquareTimes(result, 2), x);
    }

    private static UInt256 SquareTimes(UInt256 x, int times)
    {
        for (var i = 0; i < times; i++)
        {
            x = Fp.Square(x);
        }
        return x;
    }
}
