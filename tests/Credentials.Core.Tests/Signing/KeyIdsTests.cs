using Credentials.Core.Signing;

namespace Credentials.Core.Tests.Signing;

public class KeyIdsTests
{
    [Fact]
    public void Compute_KnownInput_IsPrefixAndSha256Hex()
    {
        // SHA-256("abc") = ba7816bf8f01cfea...
        var id = KeyIds.Compute(SigningAlgorithm.EcdsaP256Sha256, "abc"u8);

        Assert.Equal("p256-ba7816bf8f01cfea", id);
    }

    [Theory]
    [InlineData("sm2-0123456789abcdef", SigningAlgorithm.Sm2Sm3)]
    [InlineData("p256-0123456789abcdef", SigningAlgorithm.EcdsaP256Sha256)]
    [InlineData("ed25519-0123456789abcdef", SigningAlgorithm.Ed25519)]
    public void TryGetAlgorithm_ValidId_ReturnsAlgorithm(string keyId, SigningAlgorithm expected)
    {
        Assert.True(KeyIds.TryGetAlgorithm(keyId, out var algorithm));
        Assert.Equal(expected, algorithm);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sm2-0123456789ABCDEF")]
    [InlineData("sm2-0123456789abcde")]
    [InlineData("sm2-0123456789abcdef0")]
    [InlineData("rsa-0123456789abcdef")]
    [InlineData("../../etc/passwd")]
    [InlineData("sm2-01234567/9abcdef")]
    [InlineData("-0123456789abcdef")]
    public void TryGetAlgorithm_MalformedId_ReturnsFalse(string? keyId)
    {
        Assert.False(KeyIds.TryGetAlgorithm(keyId, out _));
    }
}
