using Credentials.Grpc.Protocol;

namespace Credentials.Grpc.Tests.Protocol;

public sealed class MetadataEncodingTests
{
    [Theory]
    [InlineData("AAEC/w==", new byte[] { 0, 1, 2, 255 })]
    [InlineData("AAEC/w", new byte[] { 0, 1, 2, 255 })]
    [InlineData("AAECAw", new byte[] { 0, 1, 2, 3 })]
    [InlineData("AAEC", new byte[] { 0, 1, 2 })]
    [InlineData("", new byte[0])]
    public void FromBase64_PaddedOrNot_DecodesTheBytes(string value, byte[] expected)
    {
        Assert.Equal(expected, MetadataEncoding.FromBase64(value));
    }

    [Fact]
    public void ToHeaderValue_BinaryEntry_IsUnpaddedBase64()
    {
        var entry = new Metadata.Entry("x-data-bin", [0, 1, 2, 255]);

        Assert.Equal("AAEC/w", MetadataEncoding.ToHeaderValue(entry));
    }

    [Fact]
    public void FromHeader_MalformedBase64_InvalidArgumentNamingTheKey()
    {
        var error = Assert.Throws<RpcException>(() => MetadataEncoding.FromHeader("x-data-bin", "A"));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("x-data-bin", error.Status.Detail, StringComparison.Ordinal);
    }
}
