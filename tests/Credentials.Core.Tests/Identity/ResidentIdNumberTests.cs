using Credentials.Core.Identity;
using Credentials.Testing;

namespace Credentials.Core.Tests.Identity;

public class ResidentIdNumberTests
{
    private static readonly DateOnly Today = new(2024, 12, 20);

    [Fact]
    public void Check_StandardExample_IsValid()
    {
        // The example number of GB 11643-1999 itself.
        Assert.Null(ResidentIdNumber.Check("11010519491231002X", Today));
    }

    [Fact]
    public void CheckCharacter_GeneratedNumbers_MatchIndependentComputation()
    {
        for (var sequence = 1; sequence < 200; sequence++)
        {
            var number = Samples.ResidentId(new DateOnly(1980 + sequence % 30, 1 + sequence % 12, 1 + sequence % 28), sequence);
            Assert.Null(ResidentIdNumber.Check(number, Today));
        }
    }

    [Theory]
    [InlineData("110105194912310021", "has a wrong check character")]
    [InlineData("11010519491231002", "must have 18 characters")]
    [InlineData("1101051949123100XX", "must be 17 digits followed by a digit or X")]
    [InlineData("110105194902300026", "has an invalid birth date")]
    [InlineData("110105203001010029", "has a birth date out of range")]
    public void Check_Invalid_SaysWhy(string number, string expected)
    {
        Assert.Equal(expected, ResidentIdNumber.Check(number, Today));
    }
}
