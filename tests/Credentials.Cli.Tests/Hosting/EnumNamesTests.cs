using Credentials.Cli.Hosting;
using Credentials.V1;

namespace Credentials.Cli.Tests.Hosting;

public sealed class EnumNamesTests
{
    [Theory]
    [InlineData("deputy-senior")]
    [InlineData("DEPUTY_SENIOR")]
    [InlineData("TITLE_LEVEL_DEPUTY_SENIOR")]
    [InlineData(" Deputy_Senior ")]
    public void Parse_AnySpelling_ReturnsValue(string text) =>
        Assert.Equal(TitleLevel.DeputySenior, EnumNames.Parse<TitleLevel>(text, "--level"));

    [Theory]
    [InlineData("unspecified")]
    [InlineData("senior")]
    [InlineData("")]
    public void Parse_UnknownOrUnspecified_ThrowsUsageListingChoices(string text)
    {
        var e = Assert.Throws<UsageException>(() => EnumNames.Parse<TitleLevel>(text, "--level"));

        Assert.StartsWith("--level: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("full-senior, deputy-senior, intermediate, assistant, junior", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_Value_DropsPrefix() =>
        Assert.Equal("RESIDENT_ID_CARD", EnumNames.Short(DocumentType.ResidentIdCard));
}
