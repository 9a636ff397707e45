using System.Text;
using Credentials.Core.Envelopes;

namespace Credentials.Core.Tests.Envelopes;

/// <summary>The examples of RFC 9285 §4.3 and §4.4, and its invalid inputs.</summary>
public class Base45Tests
{
    [Theory]
    [InlineData("AB", "BB8")]
    [InlineData("Hello!!", "%69 VD92EX0")]
    [InlineData("base-45", "UJCLQE7W581")]
    [InlineData("", "")]
    public void Encode_RfcExample_MatchesRfc(string text, string expected)
    {
        Assert.Equal(expected, Base45.Encode(Encoding.ASCII.GetBytes(text)));
    }

    [Theory]
    [InlineData("QED8WEX0", "ietf!")]
    [InlineData("BB8", "AB")]
    [InlineData("%69 VD92EX0", "Hello!!")]
    public void Decode_RfcExample_MatchesRfc(string encoded, string expected)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(Base45.Decode(encoded)));
    }

    [Theory]
    [InlineData("GGW", "65536")]             // RFC 9285 §4.4: above 65535
    [InlineData("ZZZ", "more than two")]     // 91124
    [InlineData("GG", "more than one")]      // 736 in a final pair
    [InlineData("QED8WEX", "single")]        // a dangling character
    [InlineData("qed", "position 0")]        // lower case is not in the alphabet
    [InlineData("BB8é0", "position 3")]
    [InlineData("BB\u00008A", "position 2")]
    public void Decode_Invalid_ThrowsFormatExceptionSayingWhy(string encoded, string expectedInMessage)
    {
        var error = Assert.Throws<FormatException>(() => Base45.Decode(encoded));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Encoded_RoundTripsEveryLength()
    {
        var random = new Random(9285);
        for (var length = 0; length < 64; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);

            Assert.Equal(data, Base45.Decode(Base45.Encode(data)));
        }
    }

    [Fact]
    public void Decode_ExtremeGroups_Decode()
    {
        Assert.Equal([0xFF, 0xFF], Base45.Decode(Base45.Encode([0xFF, 0xFF])));
        Assert.Equal([0xFF], Base45.Decode(Base45.Encode([0xFF])));
        Assert.Equal([0x00, 0x00], Base45.Decode("000"));
    }
}
