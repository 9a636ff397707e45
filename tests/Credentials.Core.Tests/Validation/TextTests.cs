using Credentials.Core.Validation;

namespace Credentials.Core.Tests.Validation;

public class TextTests
{
    [Fact]
    public void Check_LengthCountsCharactersNotBytes()
    {
        // 100 CJK characters are 300 UTF-8 bytes and still within a 100-character limit.
        Assert.Null(Text.Check(new string('职', 100), 1, 100));
        Assert.NotNull(Text.Check(new string('职', 101), 1, 100));
    }

    [Fact]
    public void Check_UnpairedSurrogate_IsInvalidUnicode()
    {
        Assert.Equal("must be valid Unicode", Text.Check("ab\uD800c", 1, 10));
    }

    [Fact]
    public void Check_ControlCharacter_IsRefused()
    {
        Assert.Equal("must not contain control or format characters", Text.Check("a\u0007b", 1, 10));
    }

    [Fact]
    public void Normalize_DecomposedText_BecomesComposedAndTrimmed()
    {
        Assert.Equal("\u00E9", Text.Normalize(" e\u0301 "));
    }
}
