using Credentials.Core.Identity;

namespace Credentials.Core.Tests.Identity;

public class HolderNameTests
{
    [Theory]
    [InlineData("张伟")]
    [InlineData("阿卜杜·热合曼")]
    [InlineData("Anna-Lena O'Neil")]
    [InlineData("𠀋华")]
    public void Check_RealNames_AreValid(string name)
    {
        Assert.Null(HolderName.Check(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("张伟1")]
    [InlineData("张\u0000伟")]
    [InlineData("张\u202E伟")]
    [InlineData("<script>")]
    public void Check_Invalid_IsRefused(string name)
    {
        Assert.NotNull(HolderName.Check(name));
    }

    [Fact]
    public void Check_FiftyOneCharacters_IsTooLong()
    {
        Assert.Equal("must have at most 50 characters", HolderName.Check(new string('张', 51)));
        Assert.Null(HolderName.Check(new string('张', 50)));
    }
}
