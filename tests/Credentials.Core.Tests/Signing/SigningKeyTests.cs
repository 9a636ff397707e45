using System.Text;
using Credentials.Core.Signing;

namespace Credentials.Core.Tests.Signing;

public class SigningKeyTests
{
    public static TheoryData<SigningAlgorithm> Algorithms => [SigningAlgorithm.Sm2Sm3, SigningAlgorithm.EcdsaP256Sha256, SigningAlgorithm.Ed25519];

    private static readonly byte[] Message = Encoding.UTF8.GetBytes("DSSEv1 3 abc 5 hello");

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Sign_ThenVerify_ReturnsTrue(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);

        var signature = key.Sign(Message);

        Assert.True(key.PublicKey.Verify(Message, signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_TamperedMessage_ReturnsFalse(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        var signature = key.Sign(Message);
        var tampered = (byte[])Message.Clone();
        tampered[^1] ^= 1;

        Assert.False(key.PublicKey.Verify(tampered, signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_TamperedSignature_ReturnsFalse(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        var signature = key.Sign(Message);

        // Flip a bit inside the last scalar (DER) or S's low byte (Ed25519): still well formed.
        signature[^2] ^= 1;

        Assert.False(key.PublicKey.Verify(Message, signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_OtherKeysSignature_ReturnsFalse(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        using var other = SigningKey.Generate(algorithm);

        Assert.False(key.PublicKey.Verify(Message, other.Sign(Message)));
    }
}
