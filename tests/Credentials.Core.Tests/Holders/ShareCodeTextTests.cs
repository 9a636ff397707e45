using System.Text.RegularExpressions;
using Credentials.Core.Holders;

namespace Credentials.Core.Tests.Holders;

public sealed partial class ShareCodeTextTests
{
    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")]
    private static partial Regex Formatted();

    [Fact]
    public void Generate_FourGroupsOfFourCrockfordCharacters()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => ShareCodeText.Generate()).ToList();

        Assert.All(codes, code => Assert.Matches(Formatted(), code));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Equal(80, ShareCodeText.RandomBits);
    }

    [Fact]
    public void Generate_EveryCharacterOfTheAlphabetInEveryPosition()
    {
        // 80 bits spread over all 16 positions: each of the 32 symbols turns up in each position.
        var codes = Enumerable.Range(0, 4000).Select(i => ShareCodeText.Normalize(ShareCodeText.Generate(), out _)!).ToList();

        for (var position = 0; position < ShareCodeText.Characters; position++)
        {
            Assert.Equal(32, codes.Select(c => c[position]).Distinct().Count());
        }
    }

    [Theory]
    [InlineData("7KQM-2XWD-9FHT-A3CN", "7KQM2XWD9FHTA3CN")]
    [InlineData("7kqm 2xwd 9fht a3cn", "7KQM2XWD9FHTA3CN")]
    [InlineData("OOOO-IIII-LLLL-0000", "0000111111110000")]
    public void Normalize_AsSomeoneTypesIt_IsTheCanonicalCode(string typed, string expected)
    {
        Assert.Equal(expected, ShareCodeText.Normalize(typed, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7KQM-2XWD-9FHT")]
    [InlineData("7KQM-2XWD-9FHT-A3CU")]
    [InlineData("7KQM-2XWD-9FHT-A3C!")]
    [InlineData("7KQM-2XWD-9FHT-A3CN-7KQM-2XWD-9FHT-A3CN-7KQM")]
    public void Normalize_NotACode_SaysWhy(string typed)
    {
        Assert.Null(ShareCodeText.Normalize(typed, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Hash_IsTheSha256OfTheCanonicalCode()
    {
        Assert.Equal(ShareCodeText.Hash("7KQM2XWD9FHTA3CN"), ShareCodeText.Hash(ShareCodeText.Normalize("7kqm-2xwd-9fht-a3cn", out _)!));
        Assert.Equal(32, ShareCodeText.Hash("7KQM2XWD9FHTA3CN").Length);
    }
}
