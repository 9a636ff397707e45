namespace Credentials.Core.Signing.Asn1;

/// <summary>
/// ECDSA and SM2 signatures: DER <c>SEQUENCE { r INTEGER, s INTEGER }</c> with r and s in
/// [1, n-1]. Parsed here, strictly and without exceptions, so that a malformed signature never
/// reaches BouncyCastle's or OpenSSL's parsers.
/// </summary>
internal static class DerSignature
{
    /// <summary>Two 33-byte INTEGERs (a leading zero before a high bit) in a SEQUENCE.</summary>
    public const int MaxLength = 2 + 2 * (2 + 33);

    private const byte SequenceTag = 0x30;
    private const byte IntegerTag = 0x02;

    /// <summary>
    /// Decodes a strict DER signature for a curve whose order is <paramref name="order"/>
    /// (big-endian, 32 bytes) into big-endian r and s of the same width.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> der, ReadOnlySpan<byte> order, Span<byte> r, Span<byte> s)
    {
        // Every length fits the short form at this size, so a long-form length is non-DER.
        if (der.Length < 8 || der.Length > MaxLength || der[0] != SequenceTag || der[1] != der.Length - 2)
        {
            return false;
        }
        var rest = der[2..];
        return TryReadScalar(ref rest, order, r) && TryReadScalar(ref rest, order, s) && rest.IsEmpty;
    }

    /// <summary>Encodes big-endian r and s (any leading zeros are dropped) as DER.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> r, ReadOnlySpan<byte> s)
    {
        r = TrimLeadingZeros(r);
        s = TrimLeadingZeros(s);
        var rLength = r.Length + (r[0] >= 0x80 ? 1 : 0);
        var sLength = s.Length + (s[0] >= 0x80 ? 1 : 0);
        var der = new byte[2 + 2 + rLength + 2 + sLength];
        der[0] = SequenceTag;
        der[1] = (byte)(der.Length - 2);
        WriteInteger(der.AsSpan(2), r, rLength);
        WriteInteger(der.AsSpan(4 + rLength), s, sLength);
        return der;
    }

    private static bool TryReadScalar(ref ReadOnlySpan<byte> input, ReadOnlySpan<byte> order, Span<byte> scalar)
    {
        if (input.Length < 3 || input[0] != IntegerTag || input[1] == 0 || input[1] > input.Length - 2)
        {
            return false;
        }
        var value = input.Slice(2, input[1]);
        input = input[(2 + value.Length)..];
        if (value[0] >= 0x80)
        {
            return false; // negative
        }
        if (value[0] == 0)
        {
            if (value.Length == 1 || value[1] < 0x80)
            {
                return false; // zero, or a leading zero DER does not allow
            }
            value = value[1..];
        }
        if (value.Length > scalar.Length)
        {
            return false;
        }
        scalar.Clear();
        value.CopyTo(scalar[(scalar.Length - value.Length)..]);
        return scalar.SequenceCompareTo(order) < 0;
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var first = value.IndexOfAnyExcept((byte)0);
        if (first < 0)
        {
            throw new ArgumentException("A signature scalar must not be zero.", nameof(value));
        }
        return value[first..];
    }

    private static void WriteInteger(Span<byte> destination, ReadOnlySpan<byte> value, int length)
    {
        destination[0] = IntegerTag;
        destination[1] = (byte)length;
        value.CopyTo(destination[(2 + length - value.Length)..]);
    }
}
