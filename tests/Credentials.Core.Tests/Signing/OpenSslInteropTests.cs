using Credentials.Testing;
using Credentials.Core.Envelopes;
using Credentials.Core.Signing;

namespace Credentials.Core.Tests.Signing;

/// <summary>Our signatures and key files against OpenSSL 3's, in both directions.</summary>
public sealed class OpenSslInteropTests : IDisposable
{
    private const string Passphrase = "correct horse battery staple";

    private readonly OpenSslProcess _openssl = new();

    public static TheoryData<SigningAlgorithm> Algorithms => SigningKeyTests.Algorithms;

    public static TheoryData<SigningAlgorithm, bool> AlgorithmsAndEncryption => new()
    {
        { SigningAlgorithm.Sm2Sm3, false },
        { SigningAlgorithm.Sm2Sm3, true },
        { SigningAlgorithm.EcdsaP256Sha256, false },
        { SigningAlgorithm.EcdsaP256Sha256, true },
        { SigningAlgorithm.Ed25519, false },
        { SigningAlgorithm.Ed25519, true },
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Sign_VerifiedByOpenSsl_Succeeds(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        var message = SamplePae();
        _openssl.Write("message", message);
        _openssl.Write("signature", key.Sign(message));
        _openssl.Write("public.pem", key.PublicKey.ExportPem());

        var (exitCode, output) = _openssl.TryRun(VerifyArguments(algorithm, "public.pem", "message", "signature"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("Signature Verified Successfully", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Sign_OpenSslGivenOtherMessage_Fails(SigningAlgorithm algorithm)
    {
        // The control for the test above: the openssl command does check the signature.
        using var key = SigningKey.Generate(algorithm);
        var message = SamplePae();
        _openssl.Write("signature", key.Sign(message));
        message[^1] ^= 1;
        _openssl.Write("message", message);
        _openssl.Write("public.pem", key.PublicKey.ExportPem());

        var (exitCode, _) = _openssl.TryRun(VerifyArguments(algorithm, "public.pem", "message", "signature"));

        Assert.NotEqual(0, exitCode);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_OpenSslSignature_ReturnsTrue(SigningAlgorithm algorithm)
    {
        var message = SamplePae();
        _openssl.Write("message", message);
        GenerateOpenSslKey(algorithm, "private.pem");
        _openssl.Run("pkey", "-in", "private.pem", "-pubout", "-out", "public.pem");
        _openssl.Run(SignArguments(algorithm, "private.pem", "message", "signature"));

        var publicKey = VerificationKey.FromPem(File.ReadAllText(_openssl.PathOf("public.pem")));

        Assert.True(publicKey.Verify(message, _openssl.Read("signature")));
        message[^1] ^= 1;
        Assert.False(publicKey.Verify(message, _openssl.Read("signature")));
    }

    [Theory]
    [MemberData(nameof(AlgorithmsAndEncryption))]
    public void FromPrivateKeyPem_OpenSslKey_SignsForOpenSslsPublicKey(SigningAlgorithm algorithm, bool encrypted)
    {
        GenerateOpenSslKey(algorithm, "private.pem");
        _openssl.Run("pkey", "-in", "private.pem", "-pubout", "-out", "public.pem");
        if (encrypted)
        {
            _openssl.Run("pkey", "-in", "private.pem", "-aes256", "-passout", "pass:" + Passphrase, "-out", "encrypted.pem");
        }
        var pem = File.ReadAllText(_openssl.PathOf(encrypted ? "encrypted.pem" : "private.pem"));

        using var key = SigningKey.FromPrivateKeyPem(pem, encrypted ? Passphrase : null);

        var message = SamplePae();
        _openssl.Write("message", message);
        _openssl.Write("signature", key.Sign(message));
        _openssl.Run(VerifyArguments(algorithm, "public.pem", "message", "signature"));
        Assert.Equal(algorithm, key.Algorithm);
    }

    [Theory]
    [MemberData(nameof(AlgorithmsAndEncryption))]
    public void ExportPrivateKeyPem_ReadByOpenSsl_SignsForOurPublicKey(SigningAlgorithm algorithm, bool encrypted)
    {
        using var key = SigningKey.Generate(algorithm);
        _openssl.Write("private.pem", key.ExportPrivateKeyPem(encrypted ? Passphrase : null, iterations: 2048));
        var message = SamplePae();
        _openssl.Write("message", message);

        _openssl.Run("pkey", "-in", "private.pem", "-passin", "pass:" + Passphrase, "-pubout", "-outform", "DER", "-out", "public.der");
        _openssl.Run("pkey", "-in", "private.pem", "-passin", "pass:" + Passphrase, "-out", "plain.pem");
        _openssl.Run(SignArguments(algorithm, "plain.pem", "message", "signature"));

        Assert.Equal(key.PublicKey.ExportSubjectPublicKeyInfo(), _openssl.Read("public.der"));
        Assert.True(key.PublicKey.Verify(message, _openssl.Read("signature")));
    }

    public void Dispose() => _openssl.Dispose();

    private void GenerateOpenSslKey(SigningAlgorithm algorithm, string file)
    {
        string[] arguments = algorithm switch
        {
            SigningAlgorithm.Sm2Sm3 => ["genpkey", "-algorithm", "SM2"],
            SigningAlgorithm.EcdsaP256Sha256 => ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
            _ => ["genpkey", "-algorithm", "ED25519"],
        };
        _openssl.Run([.. arguments, "-out", file]);
    }

    // -rawin hands openssl the whole message; SM2 needs SM3 and the distinguishing ID, which
    // OpenSSL 3.0 does not default to.
    private static string[] DigestArguments(SigningAlgorithm algorithm) => OpenSslProcess.SignatureOptions(algorithm.ToName());

    private static string[] VerifyArguments(SigningAlgorithm algorithm, string publicKey, string message, string signature) =>
        ["pkeyutl", "-verify", "-pubin", "-inkey", publicKey, .. DigestArguments(algorithm), "-in", message, "-sigfile", signature];

    private static string[] SignArguments(SigningAlgorithm algorithm, string privateKey, string message, string signature) =>
        ["pkeyutl", "-sign", "-inkey", privateKey, .. DigestArguments(algorithm), "-in", message, "-out", signature];

    /// <summary>The PAE of a ~400-byte payload, like a certificate's.</summary>
    private static byte[] SamplePae()
    {
        var payload = new byte[400];
        Random.Shared.NextBytes(payload);
        return Pae.Encode(PayloadTypes.Certificate, payload);
    }
}
