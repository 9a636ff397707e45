using System.Security.Cryptography;
using System.Text;
using Credentials.V1;

namespace Credentials.Core.Identity;

/// <summary>
/// The keyed digest that stands in for a document number: an HMAC under a key kept outside the database, so a
/// copied database alone does not reveal the numbers or let one test guesses of them. It is the holder's
/// pseudonym everywhere: certificates, integrity records, ledger events, holders signing in, share codes.
/// </summary>
public sealed class HolderDigests(byte[] hmacKey)
{
    /// <summary>HMAC-SHA256(key, type || ":" || number): equal for the same person and document.</summary>
    public byte[] Lookup(DocumentType type, string normalizedNumber) =>
        HMACSHA256.HashData(hmacKey, Encoding.UTF8.GetBytes($"{(int)type}:{normalizedNumber}"));

    /// <summary>A key for another keyed digest of personal data (<see cref="CallerIdentifiers"/>), independent of the lookup digests.</summary>
    internal byte[] DeriveKey(string purpose) => HMACSHA256.HashData(hmacKey, Encoding.UTF8.GetBytes(purpose));
}
