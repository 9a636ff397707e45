using System.IO.Compression;
using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Core.Signing;
using Credentials.Server.Keys;
using Credentials.Server.Tests.Integrity;
using Credentials.V1;
using Credentials.Store.Audit;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Verification.VerificationFixtures;

namespace Credentials.Server.Tests.Verification;

public sealed class VerifyEnvelopeTests : SeededServerTest
{
    private static CheckOutcome Outcome(VerifyEnvelopeResponse response, VerificationStep step) =>
        response.Checks.Single(c => c.Step == step).Outcome;

    [Fact]
    public async Task VerifyEnvelope_IssuedEnvelope_IsValidWithEveryStepPassed()
    {
        var issued = await Server.IssueAsync(1, Committee);

        var response = await Server.VerifyEnvelopeAsync(issued.Envelope);

        Assert.Equal(EnvelopeVerdict.Valid, response.Verdict);
        Assert.Equal(Enum.GetValues<VerificationStep>().Skip(1), response.Checks.Select(c => c.Step));
        Assert.All(response.Checks, c => Assert.Equal(CheckOutcome.Passed, c.Outcome));
        Assert.Equal(issued.Envelope.Signatures[0].Keyid, response.KeyId);
        Assert.Equal(issued.Number, response.Certificate.Number);
        Assert.Equal(HolderName, response.Certificate.HolderName);
    }

    [Fact]
    public async Task VerifyEnvelope_QrText_IsValid()
    {
        var issued = await Server.IssueAsync(1, Committee);

        var response = await Server.VerifyEnvelopeAsync(new VerifyEnvelopeRequest { QrText = issued.QrText });

        Assert.Equal(EnvelopeVerdict.Valid, response.Verdict);
    }

    [Fact]
    public async Task VerifyEnvelope_Revoked_IsRevokedWithTheRevocation()
    {
        var issued = await Server.IssueAsync(1, Committee);
        await Server.RevokeAsync(issued.Number, Committee);

        var response = await Server.VerifyEnvelopeAsync(new VerifyEnvelopeRequest { QrText = issued.QrText });

        Assert.Equal(EnvelopeVerdict.Revoked, response.Verdict);
        Assert.Equal(CheckOutcome.Passed, Outcome(response, VerificationStep.Record));
        Assert.Equal(CheckOutcome.Failed, Outcome(response, VerificationStep.Status));
        Assert.Equal(RevocationReason.Other, response.Certificate.Revocation.Reason);
    }

    [Fact]
    public async Task VerifyEnvelope_FlippedPayloadByte_IsBadSignature()
    {
        var envelope = (await Server.IssueAsync(1, Committee)).Envelope;
        var payload = envelope.Payload.ToByteArray();
        payload[payload.Length / 2] ^= 0x20;
        envelope.Payload = ByteString.CopyFrom(payload);

        var response = await Server.VerifyEnvelopeAsync(envelope);

        Assert.Equal(EnvelopeVerdict.BadSignature, response.Verdict);
        Assert.Equal(CheckOutcome.Failed, Outcome(response, VerificationStep.Signature));
        Assert.Equal(CheckOutcome.Skipped, Outcome(response, VerificationStep.Record));
        Assert.Null(response.Certificate);
    }

    [Fact]
    public async Task VerifyEnvelope_SignatureOfWrongSize_IsBadSignature()
    {
        var envelope = (await Server.IssueAsync(1, Committee)).Envelope;
        envelope.Signatures[0].Sig = ByteString.CopyFrom(new byte[4096]);

        var response = await Server.VerifyEnvelopeAsync(envelope);

        Assert.Equal(EnvelopeVerdict.BadSignature, response.Verdict);
    }

    [Fact]
    public async Task VerifyEnvelope_SignedByAnotherKey_IsUnknownKey()
    {
        var document = DocumentOf(await Server.IssueAsync(1, Committee));
        using var stranger = SigningKey.Generate(SigningAlgorithm.Sm2Sm3);
        document.KeyId = stranger.KeyId;

        var response = await Server.VerifyEnvelopeAsync(EnvelopeSigner.SignCertificate(document, stranger));

        Assert.Equal(EnvelopeVerdict.UnknownKey, response.Verdict);
        Assert.Equal(stranger.KeyId, response.KeyId);
        Assert.Equal(CheckOutcome.Failed, Outcome(response, VerificationStep.KeyLookup));
    }

    [Fact]
    public async Task VerifyEnvelope_KeyMarkedCompromisedBeforeIssue_IsKeyCompromised()
    {
        var issued = await Server.IssueAsync(1, Committee);
        var keyId = issued.Envelope.Signatures[0].Keyid;
        await Server.Services.GetRequiredService<KeyManagement>().CompromiseAsync(keyId, issued.IssueTime.ToDateTimeOffset().AddHours(-1), "私钥泄露", AuditEntry.Local("test", "test"));

        var response = await Server.VerifyEnvelopeAsync(issued.Envelope);

        Assert.Equal(EnvelopeVerdict.KeyCompromised, response.Verdict);
        Assert.Equal(CheckOutcome.Failed, Outcome(response, VerificationStep.KeyValidity));
        Assert.Equal(issued.Number, response.Certificate.Number);
    }

    [Fact]
    public async Task VerifyEnvelope_KeyCompromisedAfterIssue_IsStillValid()
    {
        var issued = await Server.IssueAsync(1, Committee);
        Server.Time.Advance(TimeSpan.FromDays(1));
        await Server.Services.GetRequiredService<KeyManagement>().CompromiseAsync(issued.Envelope.Signatures[0].Keyid, Server.Time.GetUtcNow(), "私钥泄露", AuditEntry.Local("test", "test"));

        var response = await Server.VerifyEnvelopeAsync(issued.Envelope);

        Assert.Equal(EnvelopeVerdict.Valid, response.Verdict);
    }

    [Fact]
    public async Task VerifyEnvelope_IssueTimeBeforeTheKeyExisted_IsKeyNotValid()
    {
        var document = DocumentOf(await Server.IssueAsync(1, Committee));
        document.IssuedAt = At(Server.Time.GetUtcNow().AddYears(-1));

        var response = await Server.VerifyEnvelopeAsync(Server.SignWithServerKey(document));

        Assert.Equal(EnvelopeVerdict.KeyNotValid, response.Verdict);
        Assert.Equal(CheckOutcome.Passed, Outcome(response, VerificationStep.Signature));
    }

    [Fact]
    public async Task VerifyEnvelope_AuthenticButNeverIssuedNumber_IsNotOnRecord()
    {
        var document = DocumentOf(await Server.IssueAsync(1, Committee));
        document.Number = UnknownNumber;

        var response = await Server.VerifyEnvelopeAsync(Server.SignWithServerKey(document));

        Assert.Equal(EnvelopeVerdict.NotOnRecord, response.Verdict);
        Assert.Equal(CheckOutcome.Failed, Outcome(response, VerificationStep.Record));
    }

    [Fact]
    public async Task VerifyEnvelope_IssuedNumberWithOtherContent_IsNotOnRecord()
    {
        var document = DocumentOf(await Server.IssueAsync(1, Committee));
        document.TitleName = "正高级工程师";

        var response = await Server.VerifyEnvelopeAsync(Server.SignWithServerKey(document));

        Assert.Equal(EnvelopeVerdict.NotOnRecord, response.Verdict);
    }

    public static TheoryData<string> MalformedTexts()
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write("not an envelope, not at all"u8);
        }
        return new TheoryData<string>
        {
            "garbage",
            "TC1:%%%%",                                              // bad Base45
            "TC1:" + Base45.Encode([0x78, 0x9C, 1, 2, 3, 4, 5, 6, 7]), // bad zlib
            "TC1:" + Base45.Encode(compressed.ToArray()),             // zlib of something else
        };
    }

    [Theory]
    [MemberData(nameof(MalformedTexts))]
    public async Task VerifyEnvelope_MalformedText_IsMalformedAtDecode(string text)
    {
        var response = await Server.VerifyEnvelopeAsync(new VerifyEnvelopeRequest { QrText = text });

        Assert.Equal(EnvelopeVerdict.Malformed, response.Verdict);
        Assert.Equal(CheckOutcome.Failed, Outcome(response, VerificationStep.Decode));
        Assert.Equal(7, response.Checks.Count);
    }

    [Fact]
    public async Task VerifyEnvelope_GarbageBytes_IsMalformed()
    {
        var response = await Server.VerifyEnvelopeAsync(new VerifyEnvelopeRequest { Envelope = ByteString.CopyFrom(0xFF, 0x00, 0xFF, 0x13) });

        Assert.Equal(EnvelopeVerdict.Malformed, response.Verdict);
    }

    [Fact]
    public async Task VerifyEnvelope_WrongPayloadType_IsMalformed()
    {
        var issued = await Server.IssueAsync(1, Committee);
        var envelope = EnvelopeSigner.Sign("application/json", issued.Envelope.Payload, Server.Services.GetRequiredService<KeyRing>().Active);

        var response = await Server.VerifyEnvelopeAsync(envelope);

        Assert.Equal(EnvelopeVerdict.Malformed, response.Verdict);
        Assert.Equal(CheckOutcome.Failed, Outcome(response, VerificationStep.Decode));
    }

    [Fact]
    public async Task VerifyEnvelope_NoSource_IsInvalidArgumentNamingEnvelope()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.VerifyEnvelopeAsync(new VerifyEnvelopeRequest()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("envelope", Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task ListSigningKeys_AfterRotationAndCompromise_ListsEveryKeyOldestFirstWithItsHistory()
    {
        var management = Server.Services.GetRequiredService<KeyManagement>();
        var first = (await Server.IssueAsync(1, Committee)).Envelope.Signatures[0].Keyid;
        Server.Time.Advance(TimeSpan.FromHours(1));
        var second = await management.RotateAsync("Ed25519", AuditEntry.Local("test", "test"));
        Server.Time.Advance(TimeSpan.FromHours(1));
        await management.CompromiseAsync(first, Server.Time.GetUtcNow(), "私钥泄露", AuditEntry.Local("test", "test"));

        var keys = (await Server.Verification().ListSigningKeysAsync(new ListSigningKeysRequest())).Keys;

        Assert.Equal([first, second], keys.Select(k => k.KeyId));
        Assert.Equal("SM2-SM3", keys[0].Algorithm);
        Assert.NotNull(keys[0].ValidUntil);
        Assert.NotNull(keys[0].CompromisedAt);
        Assert.Null(keys[1].CompromisedAt);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", keys[0].PublicKeyPem, StringComparison.Ordinal);
        Assert.Equal(65, keys[0].PublicKeyRaw.Length);
        Assert.Equal(32, keys[1].PublicKeyRaw.Length);
        Assert.Equal(first, KeyIds.Compute(SigningAlgorithm.Sm2Sm3, keys[0].PublicKeySpki.ToByteArray()));
    }
}
