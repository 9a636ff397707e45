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

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Generate_KeyId_HasAlgorithmPrefixAndSixteenHexDigits(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);

        Assert.Matches("^(sm2|p256|ed25519)-[0-9a-f]{16}$", key.KeyId);
        Assert.True(KeyIds.TryGetAlgorithm(key.KeyId, out var parsed));
        Assert.Equal(algorithm, parsed);
        Assert.Equal(key.KeyId, KeyIds.Compute(algorithm, key.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Generate_TwoKeys_HaveDifferentIds(SigningAlgorithm algorithm)
    {
        using var first = SigningKey.Generate(algorithm);
        using var second = SigningKey.Generate(algorithm);

        Assert.NotEqual(first.KeyId, second.KeyId);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Sign_ManyThreadsOneKey_AllSignaturesVerify(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        var messages = Enumerable.Range(0, 64).Select(i => Encoding.UTF8.GetBytes($"message {i}")).ToArray();

        var results = await Task.WhenAll(messages.Select(m => Task.Run(() => key.PublicKey.Verify(m, key.Sign(m)))));

        Assert.All(results, Assert.True);
    }

    [Fact]
    public void Sign_AfterDispose_Throws()
    {
        var key = SigningKey.Generate(SigningAlgorithm.Ed25519);
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Sign(Message));
    }

    [Fact]
    public void Sign_Sm2Twice_GivesDifferentSignatures()
    {
        // SM2 draws a fresh random k for each signature.
        using var key = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);

        Assert.NotEqual(key.Sign(Message), key.Sign(Message));
    }
}
