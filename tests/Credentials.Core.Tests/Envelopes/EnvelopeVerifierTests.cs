using Credentials.Core.Envelopes;
using Credentials.Core.Signing;
using Credentials.Core.Tests.Signing;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Core.Tests.Envelopes;

public sealed class EnvelopeVerifierTests : IDisposable
{
    private readonly SigningKey _key = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);
    private readonly SigningKey _otherKey = SigningKey.Generate(SigningAlgorithm.Ed25519);

    public static TheoryData<SigningAlgorithm> Algorithms => SigningKeyTests.Algorithms;

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_SignedCertificate_IsValidByThatKey(SigningAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        var envelope = EnvelopeSigner.SignCertificate(Document(key.KeyId), key);

        var result = EnvelopeVerifier.Verify(envelope, PayloadTypes.Certificate, id => id == key.KeyId ? key.PublicKey : null);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(key.KeyId, result.KeyId);
        Assert.Equal(PayloadTypes.Certificate, envelope.PayloadType);
        Assert.Equal(Document(key.KeyId), CertificateDocument.Parser.ParseFrom(envelope.Payload));
    }

    [Fact]
    public void SignCertificate_DocumentNamesOtherKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => EnvelopeSigner.SignCertificate(Document(_otherKey.KeyId), _key));
    }

    [Fact]
    public void Verify_TamperedPayload_IsBadSignature()
    {
        var envelope = Signed();
        var tampered = Document(_key.KeyId);
        tampered.HolderName = "李四";
        envelope.Payload = tampered.ToByteString();

        Assert.Equal(EnvelopeVerificationStatus.BadSignature, Verify(envelope).Status);
    }

    [Fact]
    public void Verify_TamperedPayloadType_IsBadSignature()
    {
        // The verifier expects the new type too, so only the signature can catch the change.
        var envelope = Signed();
        envelope.PayloadType = "application/vnd.credentials.other+protobuf";

        var result = EnvelopeVerifier.Verify(envelope, envelope.PayloadType, Find);

        Assert.Equal(EnvelopeVerificationStatus.BadSignature, result.Status);
        Assert.Equal(_key.KeyId, result.KeyId);
    }

    [Fact]
    public void Verify_TamperedSignature_IsBadSignature()
    {
        var envelope = Signed();
        var sig = envelope.Signatures[0].Sig.ToByteArray();
        sig[^2] ^= 1;
        envelope.Signatures[0].Sig = ByteString.CopyFrom(sig);

        Assert.Equal(EnvelopeVerificationStatus.BadSignature, Verify(envelope).Status);
    }

    [Fact]
    public void Verify_TruncatedSignature_IsMalformedNamingKey()
    {
        var envelope = Signed();
        envelope.Signatures[0].Sig = ByteString.CopyFrom(envelope.Signatures[0].Sig.Span[..10]);

        var result = Verify(envelope);

        Assert.Equal(EnvelopeVerificationStatus.Malformed, result.Status);
        Assert.Equal(_key.KeyId, result.KeyId);
    }

    [Fact]
    public void Verify_UnexpectedPayloadType_IsMalformed()
    {
        var result = EnvelopeVerifier.Verify(Signed(), "application/json", Find);

        Assert.Equal(EnvelopeVerificationStatus.Malformed, result.Status);
        Assert.Contains("payload_type", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnknownKey_IsUnknownKey()
    {
        var result = EnvelopeVerifier.Verify(Signed(), PayloadTypes.Certificate, _ => null);

        Assert.Equal(EnvelopeVerificationStatus.UnknownKey, result.Status);
        Assert.Null(result.KeyId);
    }

    [Fact]
    public void Verify_NoSignatures_IsMalformed()
    {
        var envelope = Signed();
        envelope.Signatures.Clear();

        Assert.Equal(EnvelopeVerificationStatus.Malformed, Verify(envelope).Status);
    }

    [Fact]
    public void Verify_TooManySignatures_IsMalformed()
    {
        var envelope = Signed();
        for (var i = 0; i < EnvelopeVerifier.MaxSignatures; i++)
        {
            envelope.Signatures.Add(envelope.Signatures[0]);
        }

        Assert.Equal(EnvelopeVerificationStatus.Malformed, Verify(envelope).Status);
    }

    [Fact]
    public void Verify_EmptyKeyId_IsMalformed()
    {
        var envelope = Signed();
        envelope.Signatures[0].Keyid = "";

        Assert.Equal(EnvelopeVerificationStatus.Malformed, Verify(envelope).Status);
    }

    [Fact]
    public void Verify_UnknownSignatureBeforeValidOne_IsValid()
    {
        var envelope = Signed();
        envelope.Signatures.Insert(0, new Signature { Keyid = "sm2-ffffffffffffffff", Sig = ByteString.CopyFrom(new byte[70]) });

        var result = Verify(envelope);

        Assert.True(result.IsValid);
        Assert.Equal(_key.KeyId, result.KeyId);
    }

    [Fact]
    public void Verify_SignatureUnderOtherKeysId_IsBadSignature()
    {
        // An Ed25519 signature presented as the SM2 key's: wrong shape for that key.
        var envelope = EnvelopeSigner.Sign(PayloadTypes.Certificate, Document(_key.KeyId).ToByteString(), _otherKey);
        envelope.Signatures[0].Keyid = _key.KeyId;

        var result = Verify(envelope);

        Assert.False(result.IsValid);
        Assert.Equal(_key.KeyId, result.KeyId);
    }

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }

    private Envelope Signed() => EnvelopeSigner.SignCertificate(Document(_key.KeyId), _key);

    private EnvelopeVerification Verify(Envelope envelope) => EnvelopeVerifier.Verify(envelope, PayloadTypes.Certificate, Find);

    private VerificationKey? Find(string keyId) => keyId == _key.KeyId ? _key.PublicKey : null;

    internal static CertificateDocument Document(string keyId) => new()
    {
        Number = "DL-S01-2024-000123K",
        HolderName = "张三",
        HolderDocumentMasked = "21**************1X",
        Series = "工程系列",
        Specialty = "建筑工程",
        Level = TitleLevel.DeputySenior,
        TitleName = "高级工程师",
        CommitteeCode = "DL-S01",
        ReviewYear = 2024,
        KeyId = keyId,
    };
}
