using System.Formats.Asn1;

namespace Credentials.Core.Signing.Asn1;

/// <summary>Reads DER structures, turning the decoder's errors into FormatException.</summary>
internal static class Der
{
    /// <exception cref="FormatException">The input is not valid DER, or <paramref name="read"/> rejects it.</exception>
    public static T Read<T>(ReadOnlyMemory<byte> der, string what, Func<AsnReader, T> read)
    {
        try
        {
            return read(new AsnReader(der, AsnEncodingRules.DER));
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"The {what} is not valid DER.", e);
        }
    }
}
