using Credentials.Core.Identity;
using Credentials.Testing;
using Credentials.V1;

namespace Credentials.Core.Tests.Identity;

public class IdentityDocumentTests
{
    private static readonly DateOnly Today = new(2024, 12, 20);

    [Theory]
    [InlineData(DocumentType.Passport, "E12345678")]
    [InlineData(DocumentType.Passport, "K1234567")]
    [InlineData(DocumentType.HkMacaoPermit, "H12345678")]
    [InlineData(DocumentType.HkMacaoPermit, "M1234567890")]
    [InlineData(DocumentType.TaiwanPermit, "12345678")]
    [InlineData(DocumentType.TaiwanPermit, "1234567890")]
    [InlineData(DocumentType.ForeignPermanentResidentId, "USA210198001011")]
    public void Check_WellFormedNumbers_AreValid(DocumentType type, string number)
    {
        Assert.Null(IdentityDocument.Check(type, number, Today));
    }

    [Theory]
    [InlineData(DocumentType.Passport, "E1234")]
    [InlineData(DocumentType.Passport, "E-1234567")]
    [InlineData(DocumentType.HkMacaoPermit, "X12345678")]
    [InlineData(DocumentType.HkMacaoPermit, "H123456789")]
    [InlineData(DocumentType.TaiwanPermit, "123456789")]
    [InlineData(DocumentType.ForeignPermanentResidentId, "810000199001010000")]
    [InlineData(DocumentType.HmtResidencePermit, "110105194912310021")]
    [InlineData(DocumentType.Unspecified, "E12345678")]
    public void Check_MalformedNumbers_AreRefused(DocumentType type, string number)
    {
        Assert.NotNull(IdentityDocument.Check(type, number, Today));
    }

    [Fact]
    public void Check_ResidentIdWithUnknownProvince_IsRefused()
    {
        var number = Samples.ResidentId(new DateOnly(1990, 5, 5), 12, region: "990101");

        Assert.Equal("has an unknown region code", IdentityDocument.Check(DocumentType.ResidentIdCard, number, Today));
    }

    [Fact]
    public void Check_HmtResidencePermit_UsesTheGb11643Check()
    {
        var number = Samples.ResidentId(new DateOnly(1990, 5, 5), 12, region: "810000");

        Assert.Null(IdentityDocument.Check(DocumentType.HmtResidencePermit, number, Today));
    }

    [Fact]
    public void Normalize_FullWidthAndLowerCase_BecomesAsciiUpperCase()
    {
        Assert.Equal("11010519491231002X", IdentityDocument.Normalize(" １１０１０５１９４９１２３１００２ｘ "));
    }

    [Theory]
    [InlineData("11010519491231002X", "11**************2X")]
    [InlineData("E1234567", "E1****67")]
    [InlineData("K123456", "K*****6")]
    public void Mask_KeepsOnlyTheEnds(string number, string masked)
    {
        Assert.Equal(masked, IdentityDocument.Mask(number));
    }
}
