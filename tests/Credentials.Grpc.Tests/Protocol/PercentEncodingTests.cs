using Credentials.Grpc.Protocol;

namespace Credentials.Grpc.Tests.Protocol;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("plain ASCII text", "plain ASCII text")]
    [InlineData("100%", "100%25")]
    [InlineData("a\tb", "a%09b")]
    [InlineData("☺", "%E2%98%BA")]
    [InlineData("😈", "%F0%9F%98%88")]
    [InlineData("~ and \u007F", "~ and %7F")]
    public void Encode_BytesOutsidePrintableAsciiAndPercent_AreEscaped(string value, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Encode(value));
        Assert.Equal(value, PercentEncoding.Decode(expected));
    }

    [Theory]
    [InlineData("50%", "50%")]
    [InlineData("%zz ok %E2%98%BA", "%zz ok ☺")]
    [InlineData("%4", "%4")]
    [InlineData("%e2%98%ba", "☺")]
    public void Decode_MalformedOrLowercaseEscapes_NeverThrows(string value, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Decode(value));
    }
}
