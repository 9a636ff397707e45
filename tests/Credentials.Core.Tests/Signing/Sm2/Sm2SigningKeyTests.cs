using System.Text;
using Credentials.Core.Signing.Asn1;
using Credentials.Core.Signing.Sm2;

namespace Credentials.Core.Tests.Signing.Sm2;

/// <summary>The worked example of GB/T 32918.2-2016 Annex A on the recommended curve.</summary>
public class Sm2SigningKeyTests
{
    private static readonly byte[] D = Convert.FromHexString("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8");
    private static readonly byte[] PublicX = Convert.FromHexString("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020");
    private static readonly byte[] PublicY = Convert.FromHexString("CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13");
    private static readonly byte[] E = Convert.FromHexString("F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640");
    private static readonly byte[] K = Convert.FromHexString("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21");
    private static readonly byte[] R = Convert.FromHexString("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3");
    private static readonly byte[] S = Convert.FromHexString("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA");
    private static readonly byte[] Message = Encoding.ASCII.GetBytes("message digest");

    [Fact]
    public void FromScalar_StandardKey_DerivesStandardPublicKey()
    {
        using var key = Sm2SigningKey.FromScalar((byte[])D.Clone());

        Assert.Equal([0x04, .. PublicX, .. PublicY], key.PublicKey.ExportRaw());
    }

    [Fact]
    public void Digest_StandardMessage_IsStandardE()
    {
        // e = SM3(Z_A || M) with the default ID: checks Z_A too.
        using var key = Sm2SigningKey.FromScalar((byte[])D.Clone());
        var e = new byte[32];

        ((Sm2VerificationKey)key.PublicKey).Digest(Message, e);

        Assert.Equal(E, e);
    }

    [Fact]
    public void TrySign_StandardNonce_GivesStandardSignature()
    {
        using var key = Sm2SigningKey.FromScalar((byte[])D.Clone());

        var signature = key.TrySign(E, K);

        Assert.Equal(DerSignature.Encode(R, S), signature);
    }

    [Fact]
    public void Verify_StandardSignature_ReturnsTrue()
    {
        using var key = Sm2SigningKey.FromScalar((byte[])D.Clone());

        Assert.True(key.PublicKey.Verify(Message, DerSignature.Encode(R, S)));
        Assert.False(key.PublicKey.Verify(Encoding.ASCII.GetBytes("message digesT"), DerSignature.Encode(R, S)));
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122")] // n - 1
    [InlineData("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123")] // n
    public void FromScalar_OutOfRange_ThrowsFormatException(string hex)
    {
        Assert.Throws<FormatException>(() => Sm2SigningKey.FromScalar(Convert.FromHexString(hex)));
    }
}
