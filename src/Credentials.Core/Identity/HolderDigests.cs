using System.Security.Cryptography;
using System.Text;
using Credentials.V1;

namespace Credentials.Core.Identity;

/// <summary>
/// The two digests that stand in for a document number. The lookup digest is an HMAC under a
/// key kept outside the database, so a copied database alone does not reveal (or let one
/// brute-force) the numbers; the salted digest goes into the signed certificate, so that a
/// verifier shown the document can confirm it.
/// </summary>
public sealed class HolderDigests(byte[] hmacKey)
{
    /// <summary>HMAC-SHA256(key, type || ":" || number): equal for the same person and document.</summary>
    public byte[] Lookup(DocumentType type, string normalizedNumber) =>
        HMACSHA256.HashData(hmacKey, Encoding.UTF8.GetBytes($"{(int)type}:{normalizedNumber}"));

    /// <summary>A key for another keyed digest of personal data (<see cref="CallerIdentifiers"/>), independent of the lookup digests.</summary>
    internal byte[] DeriveKey(string purpose) => HMACSHA256.HashData(hmacKey, Encoding.UTF8.GetBytes(purpose));

    /// <summary>SHA-256(salt || number), the certificate's holder_document_digest.</summary>
    public static byte[] Salted(ReadOnlySpan<byte> salt, string normalizedNumber)
    {
        var number = Encoding.UTF8.GetBytes(normalizedNumber);
        var input = new byte[salt.Length + number.Length];
        salt.CopyTo(input);
        number.CopyTo(input.AsSpan(salt.Length));
        return SHA256.HashData(input);
    }
}
