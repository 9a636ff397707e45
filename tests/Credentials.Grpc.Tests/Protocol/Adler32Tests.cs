using Credentials.Grpc.Protocol;

namespace Credentials.Grpc.Tests.Protocol;

public sealed class Adler32Tests
{
    [Theory]
    [InlineData("", 0, 0x00000001u)]
    [InlineData("Wikipedia", 0, 0x11E60398u)]
    [InlineData(null, 5_553, 0x8E299C8Bu)]
    [InlineData(null, 100_000, 0x149A302Cu)]
    public void Compute_KnownInputs_ZlibsValue(string? text, int bytesOf255, uint expected)
    {
        // Long runs of 0xFF push the sums to their largest, across the modulo blocks.
        var data = text is null ? Enumerable.Repeat((byte)0xFF, bytesOf255).ToArray() : System.Text.Encoding.ASCII.GetBytes(text);

        Assert.Equal(expected, Adler32.Compute(data));
    }
}
