using System.Text;
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

    [Theory]
    [InlineData(new byte[] { 0xE5, 0xBC, 0xA0, 0xFF })]             // a byte that is never UTF-8
    [InlineData(new byte[] { 0x41, 0x80, 0x42 })]                   // a lone continuation byte
    [InlineData(new byte[] { 0xC0, 0xAF })]                         // an overlong '/'
    [InlineData(new byte[] { 0xE4, 0xBC, 0x41 })]                   // a sequence cut short
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]                   // a UTF-16 surrogate encoded as UTF-8
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]             // beyond U+10FFFF
    public void Check_InvalidUtf8AsProtobufDecodesIt_IsRefused(byte[] bytes)
    {
        // Google.Protobuf decodes string fields with replacement, as Encoding.UTF8 does.
        var decoded = Encoding.UTF8.GetString(bytes);

        Assert.Equal(Text.NotUtf8, Text.Check(Text.Normalize(decoded), 0, 100));
    }

    [Fact]
    public void Check_ReplacementCharacterSentAsValidUtf8_IsRefusedToo()
    {
        Assert.Equal(Text.NotUtf8, Text.Check("张\uFFFD伟", 1, 10));
    }

    [Fact]
    public void Check_TextAroundTheReplacementCharacter_IsAccepted()
    {
        // U+FFFC (object replacement) is another character; only U+FFFD marks lost bytes.
        Assert.Null(Text.Check("大人社发〔2024〕15号 \uFFFC", 1, 100));
    }

    [Fact]
    public void Normalize_DecomposedText_BecomesComposedAndTrimmed()
    {
        Assert.Equal("\u00E9", Text.Normalize(" e\u0301 "));
    }
}
