using System.Security.Cryptography;
using Credentials.Core.Validation;
using Google.Protobuf;

namespace Credentials.Server.Common;

/// <summary>Idempotency keys of creating methods (AIP-155).</summary>
public static class RequestIds
{
    /// <summary>Null when <paramref name="requestId"/> is 1 to 64 characters of A-Z a-z 0-9 - _ . :; otherwise why not.</summary>
    public static string? Check(string requestId)
    {
        if (requestId.Length is 0 or > 64)
        {
            return "must have 1 to 64 characters (a UUID is best)";
        }
        foreach (var c in requestId)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':'))
            {
                return "may only contain A-Z, a-z, 0-9 and - _ . :";
            }
        }
        return null;
    }

    /// <summary>SHA-256 of the request as sent, so a retry can be told from a reuse of the id for other content.</summary>
    public static byte[] Hash(IMessage request) => SHA256.HashData(request.ToByteArray());

    /// <summary>The result a request id produced before, or null for a new id; throws when the id was used for other content.</summary>
    public static string? Replay(Store.Idempotency.IdempotencyRepository.Entry? previous, byte[] requestHash, string requestId)
    {
        if (previous is null)
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(previous.RequestHash, requestHash)
            ? previous.Result
            : throw new AlreadyExistsException("REQUEST_ID_REUSED",
                $"request_id '{requestId}' was already used for a different request.");
    }
}
