using System.Security.Cryptography;
using System.Text.Json;
using Credentials.Core.Validation;
using Credentials.Store.Idempotency;

namespace Credentials.Server.Common;

/// <summary>
/// Idempotency of creating methods (AIP-155). A request is known by its request id in the form
/// <see cref="Core.Identity.CallerIdentifiers.ForStorage"/> gives, and by the hash of what the
/// server understood from it: the validated, normalised domain value, not the bytes sent. So a retry
/// that differs only in what validation normalises (a lower-case committee code, spaces around a
/// name, full-width digits, an unknown or output-only field) is the same request, and one that
/// differs in anything the server keeps is another.
/// </summary>
public static class RequestIds
{
    /// <summary>
    /// SHA-256 of <paramref name="normalized"/> as JSON (properties in declaration order). It must not
    /// hold a document number in clear: put its keyed lookup digest in its place.
    /// </summary>
    public static byte[] Hash<T>(T normalized) => SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(normalized));

    /// <summary>The result a request id produced before, or null for a new id; throws when the id was used for another request.</summary>
    public static string? Replay(IdempotencyRepository.Entry? previous, byte[] requestHash)
    {
        if (previous is null)
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(previous.RequestHash, requestHash)
            ? previous.Result
            : throw new AlreadyExistsException("REQUEST_ID_REUSED", "request_id was already used for a different request.");
    }
}
