using System.Text;
using Credentials.Cli.Hosting;
using Credentials.Cli.Verification;
using Credentials.Core.Envelopes;
using Credentials.Server.Keys;
using Credentials.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Cli.Tests.Verification;

/// <summary>verify-envelope --offline: no call to the server; the key set as ListSigningKeys publishes the server's keys.</summary>
public sealed class OfflineVerificationTests : CliServerTest
{
    private const string Unreachable = "http://127.0.0.1:1";

    [Fact]
    public async Task Offline_IssuedQrText_IsValidWithRecordAndStatusSkipped()
    {
        var issued = await IssueAsync(person: 110);
        var keys = await SaveKeySetAsync();

        var run = await OfflineAsync((string)issued["qrText"]!, keys, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("ENVELOPE_VERDICT_VALID", (string?)run.Json["verdict"]);
        Assert.True((bool)run.Json["offline"]!);
        Assert.Equal((string)issued["number"]!, (string?)run.Json["certificate"]!["number"]);
        Assert.Equal("张伟", (string?)run.Json["certificate"]!["holderName"]);
        Assert.Equal(
            ["CHECK_OUTCOME_PASSED", "CHECK_OUTCOME_PASSED", "CHECK_OUTCOME_PASSED", "CHECK_OUTCOME_PASSED", "CHECK_OUTCOME_PASSED", "CHECK_OUTCOME_SKIPPED", "CHECK_OUTCOME_SKIPPED"],
            run.Json["checks"]!.AsArray().Select(c => (string)c!["outcome"]!));
    }

    [Fact]
    public async Task Offline_VersionOneQrText_StillVerifies()
    {
        var number = await Credentials.Server.Tests.Certificates.CertificateFixtures.IssueVersionOneAsync(Server, Credentials.Server.Tests.Certificates.CertificateFixtures.Spec(112));
        var certificate = (await AuthorityCertificates.GetCertificateAsync(new GetCertificateRequest { Number = number })).Certificate;
        var keys = await SaveKeySetAsync();

        var run = await OfflineAsync(certificate.QrText, keys);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("VALID (offline): " + number, run.Out, StringComparison.Ordinal);
        Assert.Contains("document version 1", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_EnvelopeFileAndStandardInput_AreValid()
    {
        var issued = await IssueAsync(person: 111);
        var keys = await SaveKeySetAsync();
        var envelope = EnvelopeOf(issued).ToByteArray();
        await File.WriteAllBytesAsync(PathOf("c.env"), envelope);

        var fromFile = await OfflineAsync(PathOf("c.env"), keys);
        var fromStdin = await CliRun.RunAsync(null, envelope, "verify-envelope", "-", "--offline", "--keys", keys, "--server", Unreachable);

        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.StartsWith("VALID (offline): " + (string)issued["number"]!, fromFile.Out, StringComparison.Ordinal);
        Assert.Contains("[pass] signature", fromFile.Out, StringComparison.Ordinal);
        Assert.Contains("[skip] status", fromFile.Out, StringComparison.Ordinal);
        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
    }

    [Fact]
    public async Task Offline_TamperedPayload_IsBadSignature()
    {
        var issued = await IssueAsync(person: 112);
        var keys = await SaveKeySetAsync();
        var envelope = EnvelopeOf(issued);
        var document = CertificateDocument.Parser.ParseFrom(envelope.Payload);
        document.HolderName = "李四";
        envelope.Payload = document.ToByteString();

        var run = await OfflineAsync(QrText.Encode(envelope), keys, "--json");

        Assert.Equal(ExitCodes.NotValid, run.ExitCode);
        Assert.Equal("ENVELOPE_VERDICT_BAD_SIGNATURE", (string?)run.Json["verdict"]);
        Assert.Equal("CHECK_OUTCOME_FAILED", (string?)run.Json["checks"]![2]!["outcome"]);
        Assert.Equal("CHECK_OUTCOME_SKIPPED", (string?)run.Json["checks"]![3]!["outcome"]);
    }

    [Fact]
    public async Task Offline_KeyNotInSet_IsUnknownKey()
    {
        var issued = await IssueAsync(person: 113);
        using var other = Core.Signing.SigningKey.Generate(Core.Signing.SigningAlgorithm.Ed25519);
        var keys = await SaveKeySetAsync(new ListSigningKeysResponse { Keys = { Info(other.PublicKey) } });

        var run = await OfflineAsync((string)issued["qrText"]!, keys, "--json");

        Assert.Equal(ExitCodes.NotValid, run.ExitCode);
        Assert.Equal("ENVELOPE_VERDICT_UNKNOWN_KEY", (string?)run.Json["verdict"]);
    }

    [Fact]
    public async Task Offline_KeyCompromisedAtIssueTime_IsKeyCompromised()
    {
        var issued = await IssueAsync(person: 114);
        var set = PublishedKeys();
        set.Keys[0].CompromisedAt = Timestamp.FromDateTimeOffset(Server.Time.GetUtcNow());

        var run = await OfflineAsync((string)issued["qrText"]!, await SaveKeySetAsync(set), "--json");

        Assert.Equal(ExitCodes.NotValid, run.ExitCode);
        Assert.Equal("ENVELOPE_VERDICT_KEY_COMPROMISED", (string?)run.Json["verdict"]);
    }

    [Fact]
    public async Task Offline_KeyCompromisedAfterIssueTime_IsStillValid()
    {
        var issued = await IssueAsync(person: 115);
        var set = PublishedKeys();
        set.Keys[0].CompromisedAt = Timestamp.FromDateTimeOffset(Server.Time.GetUtcNow().AddSeconds(1));

        var run = await OfflineAsync((string)issued["qrText"]!, await SaveKeySetAsync(set));

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task Offline_IssuedOutsideKeyValidity_IsKeyNotValid()
    {
        var issued = await IssueAsync(person: 116);
        var set = PublishedKeys();
        set.Keys[0].ValidFrom = Timestamp.FromDateTimeOffset(Server.Time.GetUtcNow().AddDays(1));

        var run = await OfflineAsync((string)issued["qrText"]!, await SaveKeySetAsync(set), "--json");

        Assert.Equal(ExitCodes.NotValid, run.ExitCode);
        Assert.Equal("ENVELOPE_VERDICT_KEY_NOT_VALID", (string?)run.Json["verdict"]);
    }

    [Theory]
    [InlineData("TC1:")]
    [InlineData("TC1:%%%%")]
    [InlineData("TC1:AAAA")]
    public async Task Offline_UndecodableText_IsMalformed(string text)
    {
        var keys = await SaveKeySetAsync();

        var run = await OfflineAsync(text, keys, "--json");

        Assert.Equal(ExitCodes.NotValid, run.ExitCode);
        Assert.Equal("ENVELOPE_VERDICT_MALFORMED", (string?)run.Json["verdict"]);
        Assert.Equal("CHECK_OUTCOME_FAILED", (string?)run.Json["checks"]![0]!["outcome"]);
    }

    [Fact]
    public async Task Offline_DocumentNamingAnotherKey_IsMalformed()
    {
        // Signed by the server's key (so the signature verifies) over a document naming another key.
        var issued = await IssueAsync(person: 117);
        var envelope = EnvelopeOf(issued);
        var document = CertificateDocument.Parser.ParseFrom(envelope.Payload);
        document.KeyId = "sm2-0000000000000000";
        var signed = new Envelope { PayloadType = envelope.PayloadType, Payload = document.ToByteString() };
        var signer = Server.Services.GetRequiredService<KeyRing>().Active;
        signed.Signatures.Add(new Signature { Keyid = signer.KeyId, Sig = ByteString.CopyFrom(signer.Sign(Pae.Encode(signed.PayloadType, signed.Payload.Span))) });

        var run = await OfflineAsync(QrText.Encode(signed), await SaveKeySetAsync(), "--json");

        Assert.Equal(ExitCodes.NotValid, run.ExitCode);
        Assert.Equal("ENVELOPE_VERDICT_MALFORMED", (string?)run.Json["verdict"]);
        Assert.Equal("CHECK_OUTCOME_FAILED", (string?)run.Json["checks"]![3]!["outcome"]);
    }

    [Fact]
    public async Task Offline_KeySetEntryWithAnotherKeysId_ExitsUsage()
    {
        var issued = await IssueAsync(person: 118);
        var set = PublishedKeys();
        using var other = Core.Signing.SigningKey.Generate(Core.Signing.SigningAlgorithm.Ed25519);
        set.Keys[0].PublicKeySpki = ByteString.CopyFrom(other.PublicKey.ExportSubjectPublicKeyInfo());

        var run = await OfflineAsync((string)issued["qrText"]!, await SaveKeySetAsync(set));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("holds the key", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_WithoutKeys_ExitsUsage()
    {
        var run = await CliRun.RunAsync("verify-envelope", "TC1:AAAA", "--offline");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    [Fact]
    public void KeySet_ToJson_IsTheJsonOfListSigningKeys()
    {
        var set = PublishedKeys();

        var json = KeySet.ToJson(set);

        Assert.Equal(set, JsonParser.Default.Parse<ListSigningKeysResponse>(json));
        Assert.Contains("\"keyId\"", json, StringComparison.Ordinal);
        Assert.Contains("\"publicKeyPem\"", json, StringComparison.Ordinal);
    }

    private Task<CliRun> OfflineAsync(string source, string keys, params string[] more) =>
        CliRun.RunAsync(["verify-envelope", source, "--offline", "--keys", keys, "--server", Unreachable, .. more]);

    private ListSigningKeysResponse PublishedKeys() =>
        new() { Keys = { Server.Services.GetRequiredService<KeyRing>().Records.Select(KeyManagement.ToProto) } };

    private async Task<string> SaveKeySetAsync(ListSigningKeysResponse? set = null)
    {
        var path = PathOf($"keys-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, KeySet.ToJson(set ?? PublishedKeys()), Encoding.UTF8);
        return path;
    }

    private static Envelope EnvelopeOf(System.Text.Json.Nodes.JsonNode certificate) =>
        JsonParser.Default.Parse<Envelope>(certificate["envelope"]!.ToJsonString());

    private static SigningKeyInfo Info(Core.Signing.VerificationKey key) => new()
    {
        KeyId = key.KeyId,
        Algorithm = Core.Signing.SigningAlgorithmNames.ToName(key.Algorithm),
        PublicKeySpki = ByteString.CopyFrom(key.ExportSubjectPublicKeyInfo()),
        ValidFrom = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
    };
}
