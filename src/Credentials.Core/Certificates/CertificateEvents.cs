using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Core.Certificates;

/// <summary>
/// The ledger events that carry a certificate's signed document: its issuance, and each reissue. Each names the
/// holder by their keyed pseudonym (the server's HMAC), never by anything a guess of an ID number can be tested on.
/// </summary>
public static class CertificateEvents
{
    /// <summary>The issuance of <paramref name="number"/>, signed as <paramref name="envelope"/>, for the holder of <paramref name="holderDigest"/>.</summary>
    public static LedgerEvent Issued(string number, CertificateContent content, string committeeCode, Envelope envelope, byte[] holderDigest) => new()
    {
        CommitteeCode = committeeCode,
        ReviewYear = content.ReviewYear,
        CertificateIssued = new CertificateIssued
        {
            Number = number,
            Level = content.Level,
            Series = content.Series,
            Envelope = envelope,
            HolderPseudonym = ByteString.CopyFrom(holderDigest),
        },
    };

    /// <summary>The envelope of a certificate_issued or certificate_reissued event.</summary>
    public static Envelope EnvelopeOf(LedgerEvent change) => change.ChangeCase switch
    {
        LedgerEvent.ChangeOneofCase.CertificateIssued => change.CertificateIssued.Envelope,
        LedgerEvent.ChangeOneofCase.CertificateReissued => change.CertificateReissued.Envelope,
        _ => throw new InvalidDataException($"Ledger event {change.Sequence} ({change.ChangeCase}) carries no certificate document."),
    };

    /// <summary>The signed document (the envelope's payload) of such an event's bytes.</summary>
    public static CertificateDocument DocumentOf(byte[] eventBytes) =>
        CertificateDocument.Parser.ParseFrom(EnvelopeOf(LedgerEvent.Parser.ParseFrom(eventBytes)).Payload);
}
