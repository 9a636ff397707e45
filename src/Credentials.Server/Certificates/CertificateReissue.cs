using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Core.Signing;
using Credentials.Core.Validation;
using Credentials.Store.Certificates;
using Credentials.Store.Keys;
using Credentials.Store.Writing;
using Credentials.V1;
using Google.Protobuf;

namespace Credentials.Server.Certificates;

/// <summary>
/// Signing a certificate's document again (重新签发): the same facts as the current document version, with the active
/// key, under the same number. What a holder of a version 1 document asks for, since its salted digest lets anyone
/// with the QR code test guesses of the ID number; also what repairs certificates after a key compromise. The new
/// envelope is the one on record from then on, and the reissue is a ledger event.
/// </summary>
public static class CertificateReissue
{
    public const string RevokedReason = "CERTIFICATE_REVOKED";

    /// <summary>Reissues inside <paramref name="tx"/>, signing with <paramref name="key"/> (which must still be active).</summary>
    public static void Reissue(WriteTransaction tx, string number, string reason, SigningKey key, string actor)
    {
        var stored = CertificateRepository.Get(tx.Connection, number, tx.Transaction) ?? throw new NotFoundException("certificate", number);
        if (stored.Revocation is not null)
        {
            throw new RuleViolationException(RevokedReason, $"Certificate {number} is revoked; a revoked certificate is not reissued.",
                new Dictionary<string, string> { ["number"] = number });
        }
        if (!SigningKeyRepository.IsActive(tx.Connection, key.KeyId, tx.Transaction))
        {
            throw new SigningKeyChangedException(key.KeyId);
        }
        var document = CertificateDocuments.Reissue(CertificateEvents.DocumentOf(stored.DocumentEvent), tx.Now, key.KeyId);
        // Signed here, in the writer: a reissue is rare, and its document is dated with the commit time.
        var envelope = EnvelopeSigner.SignCertificate(document, key);
        var sequence = tx.Ledger.Append(new LedgerEvent
        {
            CommitteeCode = stored.CommitteeCode,
            ReviewYear = stored.ReviewYear,
            CertificateReissued = new CertificateReissued
            {
                Number = number,
                Envelope = envelope,
                HolderPseudonym = ByteString.CopyFrom(CertificateRepository.HolderDigest(tx.Connection, number, tx.Transaction)),
                Reason = reason,
                ReplacesEvent = (ulong)CertificateRepository.DocumentSequence(tx.Connection, number, tx.Transaction),
            },
        }, actor);
        CertificateRepository.SetDocument(tx.Connection, tx.Transaction, number, sequence);
    }
}
