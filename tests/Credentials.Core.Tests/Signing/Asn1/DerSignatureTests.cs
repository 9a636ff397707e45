using Credentials.Core.Signing.Asn1;

namespace Credentials.Core.Tests.Signing.Asn1;

public class DerSignatureTests
{
    private static readonly byte[] Order = Convert.FromHexString("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");

    [Fact]
    public void Encode_HighBitScalars_AddsLeadingZeroAndRoundTrips()
    {
        var r = Convert.FromHexString("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3");
        var s = Convert.FromHexString("00000000000000000000000000000000000000000000000000000000000000A5");

        var der = DerSignature.Encode(r, s);

        Assert.Equal("30270221" + "00" + Convert.ToHexString(r) + "020200A5", Convert.ToHexString(der));
        Span<byte> decodedR = stackalloc byte[32];
        Span<byte> decodedS = stackalloc byte[32];
        Assert.True(DerSignature.TryDecode(der, Order, decodedR, decodedS));
        Assert.Equal(r, decodedR.ToArray());
        Assert.Equal(s, decodedS.ToArray());
    }

    [Fact]
    public void Encode_LargestScalars_FitsMaxLength()
    {
        var r = Enumerable.Repeat((byte)0xFF, 32).ToArray();

        Assert.Equal(DerSignature.MaxLength, DerSignature.Encode(r, r).Length);
    }

    [Fact]
    public void TryDecode_ScalarEqualToOrder_ReturnsFalse()
    {
        var der = DerSignature.Encode(Order, [1]);

        Assert.False(DerSignature.TryDecode(der, Order, stackalloc byte[32], stackalloc byte[32]));
    }

    [Fact]
    public void Encode_ZeroScalar_Throws()
    {
        Assert.Throws<ArgumentException>(() => DerSignature.Encode(new byte[32], [1]));
    }
}
