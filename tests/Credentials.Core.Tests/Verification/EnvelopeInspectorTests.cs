using System.IO.Compression;
using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Core.Signing;
using Credentials.Core.Verification;
using Credentials.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Core.Tests.Verification;

public sealed class EnvelopeInspectorTests : IDisposable
{
    private static readonly DateTimeOffset KeyFrom = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset IssuedAt = new(2024, 12, 20, 2, 0, 0, TimeSpan.Zero);

    private readonly SigningKey _key = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);
    private KnownKey _known;

    public EnvelopeInspectorTests() => _known = new KnownKey(_key.PublicKey, KeyFrom, null, null);

    public void Dispose() => _key.Dispose();

    private KnownKey? Find(string keyId) => keyId == _known.Key.KeyId ? _known : null;

    private CertificateDocument Document(DateTimeOffset? issuedAt = null, string? keyId = null) => new()
    {
        Number = CertificateNumber.Format("DL-S01", 2024, 123),
        HolderName = "张伟",
        HolderDocumentType = DocumentType.ResidentIdCard,
        HolderDocumentMasked = "21**************1X",
        Series = "工程系列",
        Level = TitleLevel.DeputySenior,
        CommitteeCode = "DL-S01",
        ReviewYear = 2024,
        IssuedAt = Timestamp.FromDateTimeOffset(issuedAt ?? IssuedAt),
        KeyId = keyId ?? _key.KeyId,
    };

    private static List<(VerificationStep, CheckOutcome)> Outcomes(EnvelopeInspection inspection) =>
        inspection.Checks.Checks.Select(c => (c.Step, c.Outcome)).ToList();

    [Fact]
    public void InspectBytes_SignedDocument_PassesTheFirstFiveStepsAndReadsTheDocument()
    {
        var envelope = EnvelopeSigner.SignCertificate(Document(), _key);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.False(inspection.Checks.HasFailed);
        Assert.Equal(
            [VerificationStep.Decode, VerificationStep.KeyLookup, VerificationStep.Signature, VerificationStep.Document, VerificationStep.KeyValidity],
            inspection.Checks.Checks.Select(c => c.Step));
        Assert.All(inspection.Checks.Checks, c => Assert.Equal(CheckOutcome.Passed, c.Outcome));
        Assert.Equal(_key.KeyId, inspection.KeyId);
        Assert.Equal("DL-S01-2024-000123" + CertificateNumber.CheckCharacter("DL-S01-2024-000123"), inspection.Document!.Number);
    }

    [Fact]
    public void InspectBytes_VersionOneDocumentWithItsDigest_StillPasses()
    {
        var document = Document();
        document.HolderDocumentDigest = ByteString.CopyFrom(new byte[32]);
        document.HolderDocumentSalt = ByteString.CopyFrom(new byte[16]);
        var envelope = EnvelopeSigner.Sign(PayloadTypes.CertificateV1, document.ToByteString(), _key);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.False(inspection.Checks.HasFailed);
        Assert.Contains("document version 1", inspection.Checks.Checks[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectBytes_VersionTwoDocumentWithADigest_IsMalformed()
    {
        var document = Document();
        document.HolderDocumentDigest = ByteString.CopyFrom(new byte[32]);
        var envelope = EnvelopeSigner.SignCertificate(document, _key);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.Equal(EnvelopeVerdict.Malformed, inspection.Checks.Finish());
        Assert.Contains((VerificationStep.Document, CheckOutcome.Failed), Outcomes(inspection));
        Assert.Null(inspection.Document);
    }

    [Fact]
    public void InspectBytes_AnotherPayloadType_IsMalformedNamingBothVersions()
    {
        var envelope = EnvelopeSigner.Sign("application/vnd.credentials.certificate.v3+protobuf", Document().ToByteString(), _key);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.Equal(EnvelopeVerdict.Malformed, inspection.Checks.Finish());
        Assert.Contains(PayloadTypes.CertificateV2, inspection.Checks.Checks[0].Detail, StringComparison.Ordinal);
        Assert.Contains(PayloadTypes.CertificateV1, inspection.Checks.Checks[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectQrText_SignedDocument_DecodesLikeTheBytes()
    {
        var envelope = EnvelopeSigner.SignCertificate(Document(), _key);

        var inspection = EnvelopeInspector.InspectQrText(QrText.Encode(envelope), Find);

        Assert.False(inspection.Checks.HasFailed);
        Assert.Equal(envelope, inspection.Envelope);
    }

    [Fact]
    public void InspectBytes_FlippedPayloadByte_IsBadSignatureAndTheDocumentIsNotRead()
    {
        var envelope = EnvelopeSigner.SignCertificate(Document(), _key);
        var payload = envelope.Payload.ToByteArray();
        payload[^1] ^= 0x01;
        envelope.Payload = ByteString.CopyFrom(payload);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.Equal(EnvelopeVerdict.BadSignature, inspection.Checks.Finish());
        Assert.Equal(CheckOutcome.Failed, Outcomes(inspection).Single(o => o.Item1 == VerificationStep.Signature).Item2);
        Assert.Null(inspection.Document);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200)]
    public void InspectBytes_WrongSizedSignature_IsBadSignature(int length)
    {
        var envelope = EnvelopeSigner.SignCertificate(Document(), _key);
        envelope.Signatures[0].Sig = ByteString.CopyFrom(new byte[length]);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.Equal(EnvelopeVerdict.BadSignature, inspection.Checks.Finish());
        Assert.Contains("well-formed", inspection.Checks.Checks.Single(c => c.Step == VerificationStep.Signature).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectBytes_KeyNotOurs_IsUnknownKey()
    {
        using var other = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);
        var envelope = EnvelopeSigner.SignCertificate(Document(keyId: other.KeyId), other);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.Equal(EnvelopeVerdict.UnknownKey, inspection.Checks.Finish());
        Assert.Equal(other.KeyId, inspection.KeyId);
    }

    [Fact]
    public void InspectBytes_KeyCompromisedBeforeIssue_IsKeyCompromisedWithTheDocument()
    {
        _known = _known with { CompromisedAt = IssuedAt.AddDays(-1) };
        var envelope = EnvelopeSigner.SignCertificate(Document(), _key);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.Equal(EnvelopeVerdict.KeyCompromised, inspection.Checks.Finish());
        Assert.NotNull(inspection.Document);
    }

    [Fact]
    public void InspectBytes_KeyCompromisedAfterIssue_PassesKeyValidity()
    {
        _known = _known with { CompromisedAt = IssuedAt.AddSeconds(1) };
        var envelope = EnvelopeSigner.SignCertificate(Document(), _key);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.False(inspection.Checks.HasFailed);
    }

    [Theory]
    [InlineData(-1)]   // before the key's validity
    [InlineData(400)]  // after it was replaced
    public void InspectBytes_IssuedOutsideKeyValidity_IsKeyNotValid(int days)
    {
        _known = _known with { ValidUntil = KeyFrom.AddDays(365) };
        var envelope = EnvelopeSigner.SignCertificate(Document(issuedAt: KeyFrom.AddDays(days)), _key);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.Equal(EnvelopeVerdict.KeyNotValid, inspection.Checks.Finish());
    }

    [Fact]
    public void InspectBytes_DocumentNamesAnotherKey_IsMalformed()
    {
        var envelope = EnvelopeSigner.Sign(PayloadTypes.Certificate, Document(keyId: "sm2-0000000000000000").ToByteString(), _key);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.Equal(EnvelopeVerdict.Malformed, inspection.Checks.Finish());
        Assert.Equal(CheckOutcome.Failed, Outcomes(inspection).Single(o => o.Item1 == VerificationStep.Document).Item2);
    }

    [Fact]
    public void InspectBytes_SignedPayloadNotADocument_IsMalformedAtTheDocumentStep()
    {
        var envelope = EnvelopeSigner.Sign(PayloadTypes.Certificate, ByteString.CopyFrom(0xFF, 0xFF, 0xFF), _key);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.Equal(EnvelopeVerdict.Malformed, inspection.Checks.Finish());
        Assert.Equal(CheckOutcome.Failed, Outcomes(inspection).Single(o => o.Item1 == VerificationStep.Document).Item2);
    }

    [Fact]
    public void InspectBytes_WrongPayloadType_IsMalformedAtDecode()
    {
        var envelope = EnvelopeSigner.Sign("application/json", Document().ToByteString(), _key);

        var inspection = EnvelopeInspector.InspectBytes(envelope.ToByteArray(), Find);

        Assert.Equal(EnvelopeVerdict.Malformed, inspection.Checks.Finish());
        Assert.Equal((VerificationStep.Decode, CheckOutcome.Failed), Outcomes(inspection)[0]);
    }

    [Fact]
    public void InspectBytes_Garbage_IsMalformedAndEveryLaterStepSkipped()
    {
        var inspection = EnvelopeInspector.InspectBytes([0xFF, 0xFF, 0xFF, 0xFF], Find);

        Assert.Equal(EnvelopeVerdict.Malformed, inspection.Checks.Finish());
        Assert.Equal((VerificationStep.Decode, CheckOutcome.Failed), Outcomes(inspection)[0]);
        Assert.Equal(7, inspection.Checks.Checks.Count);
        Assert.All(inspection.Checks.Checks.Skip(1), c => Assert.Equal(CheckOutcome.Skipped, c.Outcome));
    }

    [Theory]
    [InlineData("TC1:%%%%")]          // not Base45
    [InlineData("TC1:")]              // nothing
    [InlineData("HC1:BB8")]           // another prefix
    public void InspectQrText_BadText_IsMalformedAtDecode(string text)
    {
        var inspection = EnvelopeInspector.InspectQrText(text, Find);

        Assert.Equal(EnvelopeVerdict.Malformed, inspection.Checks.Finish());
        Assert.Equal((VerificationStep.Decode, CheckOutcome.Failed), Outcomes(inspection)[0]);
    }

    [Fact]
    public void InspectQrText_Base45OfNonZlib_IsMalformedAtDecode()
    {
        var inspection = EnvelopeInspector.InspectQrText("TC1:" + Base45.Encode([1, 2, 3, 4, 5, 6, 7, 8]), Find);

        Assert.Equal(EnvelopeVerdict.Malformed, inspection.Checks.Finish());
        Assert.Contains("zlib", inspection.Checks.Checks[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectQrText_ZlibOfNonEnvelope_IsMalformedAtDecode()
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write([0xFF, 0xFF, 0xFF]);
        }

        var inspection = EnvelopeInspector.InspectQrText("TC1:" + Base45.Encode(compressed.ToArray()), Find);

        Assert.Equal(EnvelopeVerdict.Malformed, inspection.Checks.Finish());
        Assert.Equal((VerificationStep.Decode, CheckOutcome.Failed), Outcomes(inspection)[0]);
    }
}
