using Credentials.Core.Envelopes;
using Credentials.Core.Identity;
using Credentials.Core.Principals;
using Credentials.Server.Tests.Integrity;
using Credentials.Testing;
using Credentials.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Credentials.Server.Tests.Certificates.CertificateFixtures;

namespace Credentials.Server.Tests.Certificates;

/// <summary>
/// The QR code of a new certificate reveals nothing about the ID number beyond its masked form: the signed document is
/// a function of public facts, and neither it nor what the platform receives lets anyone test a guessed number.
/// </summary>
public sealed class DocumentPrivacyTests : SeededServerTest
{
    private const string Region = "210202";
    private static readonly DateOnly Birth = new(1979, 6, 14);

    [Fact]
    public async Task IssueCertificate_TwoHoldersWithTheSameNameAndMaskedNumber_DocumentsDifferOnlyInNumberAndIssueTime()
    {
        var first = Samples.ResidentId(Birth, 123, Region);
        // Another person (another birth date and sequence) whose number masks the same.
        var second = Enumerable.Range(0, 1000).Select(s => Samples.ResidentId(new DateOnly(1985, 2, 3), s, Region))
            .First(n => IdentityDocument.Mask(n) == IdentityDocument.Mask(first));

        var a = await Server.IssueAsync(SpecFor(first), Committee);
        Server.Time.Advance(TimeSpan.FromMinutes(3));
        var b = await Server.IssueAsync(SpecFor(second), Committee);

        var documentA = CertificateDocument.Parser.ParseFrom(a.Envelope.Payload);
        var documentB = CertificateDocument.Parser.ParseFrom(b.Envelope.Payload);
        Assert.NotEqual(documentA.Number, documentB.Number);
        Assert.NotEqual(documentA.IssuedAt, documentB.IssuedAt);
        documentA.Number = documentB.Number = "";
        documentA.IssuedAt = documentB.IssuedAt = null;
        Assert.Equal(documentA, documentB);
        Assert.True(documentA.HolderDocumentDigest.IsEmpty && documentA.HolderDocumentSalt.IsEmpty);
        Assert.Equal(PayloadTypes.CertificateV2, a.Envelope.PayloadType);
    }

    [Fact]
    public async Task QrCodeAndPlatformEvents_GivenTheBirthDateAndRegion_ConfirmNoneOfTheThousandCandidates()
    {
        var holder = Samples.ResidentId(Birth, 417, Region);
        var certificate = await Server.IssueAsync(SpecFor(holder), Committee);
        await Server.RecordAsync(WithSubject(IntegrityFixtures.Record(type: MisconductType.Other), holder));
        var decoded = QrText.Decode(certificate.QrText).Envelope!;
        var platform = await Server.AddPrincipalAsync("platform", Role.Platform);
        var events = await EventsAsync(platform);
        var candidates = GuessHarness.Candidates(Region, Birth);
        Assert.Contains(holder, candidates);

        // What the QR code holds, parsed as far as it goes; and every event about the holder the platform receives
        // (the committees' accreditations carry nothing about anyone).
        var harness = new GuessHarness([decoded, CertificateDocument.Parser.ParseFrom(decoded.Payload), .. events]);
        var confirmed = harness.Confirmed(candidates);

        Assert.Empty(confirmed);
        Assert.True(harness.ConstructionsPerCandidate > 100, $"{harness.ConstructionsPerCandidate} constructions per candidate");
        // The masked form narrows the candidates, as the printed certificate does, but leaves several.
        Assert.InRange(candidates.Count(c => IdentityDocument.Mask(c) == IdentityDocument.Mask(holder)), 2, 100);
    }

    [Fact]
    public async Task VersionOneDocument_GivenTheBirthDateAndRegion_IsConfirmedByItsSaltedDigest()
    {
        // The harness finds the leak that version 2 removes: the old document's salted digest confirms the number.
        var holder = Samples.ResidentId(Birth, 417, Region);
        var number = await Server.IssueVersionOneAsync(SpecFor(holder));
        var certificate = await Server.GetCertificateAsync(number);

        var confirmed = new GuessHarness(certificate.Envelope, CertificateDocument.Parser.ParseFrom(certificate.Envelope.Payload))
            .Confirmed(GuessHarness.Candidates(Region, Birth));

        Assert.Equal([holder], confirmed);
        Assert.Equal(1, certificate.DocumentVersion);
    }

    [Fact]
    public async Task LedgerEvents_CarryTheKeyedPseudonym_SameForTheHoldersCertificateAndRecord()
    {
        var holder = Samples.ResidentId(Birth, 417, Region);
        await Server.IssueAsync(SpecFor(holder), Committee);
        await Server.RecordAsync(WithSubject(IntegrityFixtures.Record(), holder));

        var events = Server.LedgerEvents();
        var issued = events.Single(e => e.ChangeCase == LedgerEvent.ChangeOneofCase.CertificateIssued).CertificateIssued;
        var recorded = events.Single(e => e.ChangeCase == LedgerEvent.ChangeOneofCase.MisconductRecorded).MisconductRecorded;
        var expected = Server.Services.GetRequiredService<HolderDigests>().Lookup(DocumentType.ResidentIdCard, holder);
        Assert.Equal(expected, issued.HolderPseudonym.ToByteArray());
        Assert.Equal(expected, recorded.SubjectPseudonym.ToByteArray());
    }

    private static MisconductRecord WithSubject(MisconductRecord record, string idNumber)
    {
        record.Subject.DocumentNumber = idNumber;
        return record;
    }

    private async Task<List<LedgerEvent>> EventsAsync(string platform)
    {
        using var stream = Server.Ledger(platform).StreamEvents(new StreamEventsRequest());
        var events = new List<LedgerEvent>();
        await foreach (var message in stream.ResponseStream.ReadAllAsync())
        {
            events.AddRange(message.Entries.Select(e => LedgerEvent.Parser.ParseFrom(e.Event))
                .Where(e => e.ChangeCase is not (LedgerEvent.ChangeOneofCase.CommitteeAccredited or LedgerEvent.ChangeOneofCase.SigningKeyAdded)));
        }
        return events;
    }
}
