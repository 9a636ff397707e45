namespace Credentials.Grpc.Protocol;

/// <summary>The Adler-32 checksum that ends a zlib stream (RFC 1950).</summary>
internal static class Adler32
{
    private const uint Modulus = 65521;

    // The most bytes that cannot overflow the sums before the modulo (zlib's NMAX).
    private const int BlockSize = 5552;

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            var block = data[..Math.Min(data.Length, BlockSize)];
            foreach (var value in block)
            {
                a += value;
                b += a;
            }
            a %= Modulus;
            b %= Modulus;
            data = data[block.Length..];
        }
        return (b << 16) | a;
    }
}
