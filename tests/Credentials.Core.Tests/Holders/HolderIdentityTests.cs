using Credentials.Core.Holders;
using Credentials.Core.Identity;
using Credentials.V1;

namespace Credentials.Core.Tests.Holders;

public sealed class HolderIdentityTests
{
    private static readonly DateOnly Today = new(2024, 12, 20);

    private static string Gb11643(string first17) => first17 + ResidentIdNumber.CheckCharacter(first17);

    [Theory]
    [InlineData("21020219800101123", DocumentType.ResidentIdCard)]
    [InlineData("81000019800101123", DocumentType.HmtResidencePermit)]
    [InlineData("83000019800101123", DocumentType.HmtResidencePermit)]
    [InlineData("93600019800101123", DocumentType.ForeignPermanentResidentId)]
    public void FromClaim_Gb11643Number_IsItsKindByPrefix(string first17, DocumentType expected)
    {
        var number = Gb11643(first17);

        var identity = HolderIdentity.FromClaim(number.ToLowerInvariant(), Today, out var error);

        Assert.Null(error);
        Assert.Equal((expected, number), identity);
    }

    [Theory]
    [InlineData(null, "must be an 18-character ID number")]
    [InlineData("", "must be an 18-character ID number")]
    [InlineData("E12345678", "must be an 18-character ID number")]
    [InlineData("210202198001011230", "has a wrong check character")]
    [InlineData("990000198001011230", "has an unknown region code")]
    public void FromClaim_NotAnIdNumber_SaysWhyWithoutTheNumber(string? claim, string expected)
    {
        if (claim is { Length: 18 } && expected == "has an unknown region code")
        {
            claim = Gb11643(claim[..17].Replace("99", "00", StringComparison.Ordinal));
        }
        else if (claim is { Length: 18 })
        {
            var right = Gb11643(claim[..17]);
            claim = right[..17] + (right[17] == '0' ? '1' : '0');
        }

        Assert.Null(HolderIdentity.FromClaim(claim, Today, out var error));
        Assert.Equal(expected, error);
    }
}
