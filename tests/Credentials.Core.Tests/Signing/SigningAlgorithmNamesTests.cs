using Credentials.Core.Signing;

namespace Credentials.Core.Tests.Signing;

public class SigningAlgorithmNamesTests
{
    [Theory]
    [InlineData(SigningAlgorithm.Sm2Sm3, "SM2-SM3")]
    [InlineData(SigningAlgorithm.EcdsaP256Sha256, "ECDSA-P256-SHA256")]
    [InlineData(SigningAlgorithm.Ed25519, "Ed25519")]
    public void ToName_EachAlgorithm_IsStableNameThatParsesBack(SigningAlgorithm algorithm, string name)
    {
        Assert.Equal(name, algorithm.ToName());
        Assert.True(SigningAlgorithmNames.TryParse(name, out var parsed));
        Assert.Equal(algorithm, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sm2-sm3")]
    [InlineData("ECDSA")]
    public void TryParse_UnknownName_ReturnsFalse(string? name)
    {
        Assert.False(SigningAlgorithmNames.TryParse(name, out _));
    }
}
