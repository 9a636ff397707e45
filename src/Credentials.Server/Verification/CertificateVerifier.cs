using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Credentials.Core.Certificates;
using Credentials.Core.Envelopes;
using Credentials.Core.Identity;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Store.Verification;
using Credentials.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Credentials.Server.Verification;

/// <summary>
/// Verification by number and holder name (and optionally the document): VALID, REVOKED or
/// NOT_FOUND. No oracle: a wrong name or document answers exactly like an unknown number, and
/// costs the same: the same query runs, an unknown number is compared against a decoy
/// certificate, and the name and document are compared in constant time, both always.
/// </summary>
public sealed class CertificateVerifier(VerificationLookup lookup, HolderDigests digests, TimeProvider time)
{
    private static readonly VerifyCertificateResponse NotFound = new() { Result = VerificationResult.NotFound };

    /// <summary>The issuing event of an issued-looking certificate that no request matches, compared when the number is unknown.</summary>
    private static readonly byte[] DecoyEvent = CreateDecoyEvent();

    /// <summary>A random digest: no document's HMAC equals it.</summary>
    private static readonly byte[] DecoyDigest = RandomNumberGenerator.GetBytes(32);

    /// <summary>The normalised number (for the access log) and the answer; INVALID_ARGUMENT for a malformed request.</summary>
    public (string Number, VerifyCertificateResponse Response) Verify(VerifyCertificateRequest request)
    {
        var violations = new Violations();
        var number = CertificateNumber.Parse(request.Number, out var numberError);
        violations.AddIf("number", numberError);
        var name = Text.Normalize(request.HolderName);
        violations.AddIf("holder_name", HolderName.Check(name));
        var document = ValidateDocument(request, violations);
        violations.ThrowIfAny();

        var found = lookup.Find(number!.Number);
        // The decoy's event is opened as the lookup opens a stored one: the same parses for an unknown number.
        var stored = found ?? new VerifiableCertificate(DecoyDigest, LedgerEvent.Parser.ParseFrom(DecoyEvent).CertificateIssued.Envelope.Payload, null, null);
        var signed = CertificateDocument.Parser.ParseFrom(stored.SignedDocument);
        var nameMatches = NamesMatch(name, signed.HolderName);
        var documentMatches = document is not { } given
            || CryptographicOperations.FixedTimeEquals(digests.Lookup(given.Type, given.Number), stored.HolderDigest);
        // Non-short-circuit: every comparison runs whatever the first one said.
        if (found is null | !nameMatches | !documentMatches)
        {
            return (number.Number, NotFound);
        }
        return (number.Number, new VerifyCertificateResponse
        {
            Result = found!.RevocationReason is null ? VerificationResult.Valid : VerificationResult.Revoked,
            Certificate = VerificationMapping.ToVerified(signed, found.RevocationReason, found.RevocationEffectiveDate),
        });
    }

    /// <summary>Both or neither; the normalised number when given.</summary>
    private (DocumentType Type, string Number)? ValidateDocument(VerifyCertificateRequest request, Violations violations)
    {
        var number = IdentityDocument.Normalize(request.DocumentNumber);
        if (request.DocumentType == DocumentType.Unspecified && number.Length == 0)
        {
            return null;
        }
        if (request.DocumentType == DocumentType.Unspecified || !System.Enum.IsDefined(request.DocumentType))
        {
            violations.Add("document_type", "must be a defined document type when document_number is given");
            return null;
        }
        if (number.Length == 0)
        {
            violations.Add("document_number", "is required when document_type is given");
            return null;
        }
        violations.AddIf("document_number", IdentityDocument.Check(request.DocumentType, number, ChinaCalendar.Today(time)));
        return (request.DocumentType, number);
    }

    /// <summary>Names of up to this many UTF-16 code units (50 characters, combining marks aside) are compared as they are.</summary>
    private const int NameChars = 50;

    /// <summary>
    /// Whether the names are equal, in time that depends on their lengths alone, as when both were
    /// hashed first (SHA-256 through OpenSSL, 0.7 µs, a thirtieth of a verification): both in
    /// zero-filled buffers of one size, compared in full. A name has no NUL; the decoy's is one.
    /// Which way is taken depends on the given name only.
    /// </summary>
    private static bool NamesMatch(string given, string stored)
    {
        if (given.Length > NameChars)
        {
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(stored)));
        }
        Span<char> givenChars = stackalloc char[NameChars];
        Span<char> storedChars = stackalloc char[NameChars];
        givenChars.Clear();
        storedChars.Clear();
        given.CopyTo(givenChars);
        // A longer stored name fills the buffer, and its length differs.
        stored.AsSpan(0, Math.Min(stored.Length, NameChars)).CopyTo(storedChars);
        return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(givenChars), MemoryMarshal.AsBytes(storedChars))
            & given.Length == stored.Length;
    }

    private static byte[] CreateDecoyEvent()
    {
        var document = new CertificateDocument
        {
            Number = CertificateNumber.Format("DL-S01", 2024, 1),
            HolderName = "\u0000",
            HolderDocumentType = DocumentType.ResidentIdCard,
            HolderDocumentMasked = "21**************1X",
            Series = "工程系列",
            Specialty = "建筑工程",
            Level = TitleLevel.DeputySenior,
            TitleName = "高级工程师",
            CommitteeCode = "DL-S01",
            CommitteeName = "大连市工程系列建筑工程专业高级职称评审委员会",
            ReviewYear = 2024,
            QualificationDate = Dates.ToProto(new DateOnly(2024, 12, 1)),
            ApprovalDocument = "大人社发〔2024〕15号",
            IssuedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
            KeyId = "sm2-0000000000000000",
        };
        var envelope = new Envelope { PayloadType = PayloadTypes.Certificate, Payload = document.ToByteString() };
        envelope.Signatures.Add(new Signature { Keyid = document.KeyId, Sig = ByteString.CopyFrom(new byte[71]) });
        var issued = new LedgerEvent { CommitteeCode = "DL-S01", ReviewYear = 2024, CertificateIssued = new CertificateIssued { Number = document.Number, Envelope = envelope } };
        return issued.ToByteArray();
    }
}
