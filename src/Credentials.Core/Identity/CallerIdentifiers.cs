using System.Security.Cryptography;
using System.Text;

namespace Credentials.Core.Identity;

/// <summary>
/// Identifiers the caller chooses: the <c>request_id</c> of idempotent methods, the
/// <c>x-request-id</c> header, VerifyStream correlation ids. They are kept (the idempotency table,
/// the audit log, the access log), so they are bounded, and one that could be or hold a resident ID
/// number is kept only as a keyed hash.
/// </summary>
/// <remarks>
/// The rule: <see cref="DigitRun"/> or more consecutive digits. Every resident ID number has such a
/// run (GB 11643-1999: 17 digits and a check character; the first generation, 15 digits), and so do
/// bank card numbers; UUIDs never do. A harmless run (a
/// nanosecond timestamp) is hashed too: better a hashed timestamp than a stored ID number. The hash
/// is an HMAC under a key derived from the holder-digest key (outside the database), because ID
/// numbers are few enough to guess against a plain hash. Its form, <c>hmac:</c> and four groups of
/// eight hex digits, is itself a valid request id without such a run, so applying the rule twice
/// changes nothing.
/// </remarks>
public sealed class CallerIdentifiers
{
    /// <summary>The longest request id or correlation id.</summary>
    public const int MaxLength = 64;

    /// <summary>This many consecutive digits make an identifier one that may hold an ID number.</summary>
    public const int DigitRun = 15;

    /// <summary>What every hashed identifier begins with.</summary>
    public const string HashedPrefix = "hmac:";

    private readonly byte[] _key;

    public CallerIdentifiers(HolderDigests digests) => _key = digests.DeriveKey("credentials.v1 caller identifiers");

    /// <summary>
    /// Null when <paramref name="requestId"/> (a request_id field or the x-request-id header) is 1 to
    /// 64 characters of A-Z a-z 0-9 - _ . :; otherwise why not.
    /// </summary>
    public static string? CheckRequestId(string requestId)
    {
        if (requestId.Length is 0 or > MaxLength)
        {
            return $"must have 1 to {MaxLength} characters (a UUID is best)";
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

    /// <summary>Null when <paramref name="correlationId"/> (a VerifyStream item's) is 1 to 64 printable ASCII characters; otherwise why not.</summary>
    public static string? CheckCorrelationId(string correlationId) =>
        correlationId.Length is 0 or > MaxLength ? $"must have 1 to {MaxLength} characters"
        : correlationId.Any(c => c is < ' ' or > '~') ? "must be printable ASCII"
        : null;

    /// <summary>Whether <paramref name="id"/> has <see cref="DigitRun"/> or more consecutive digits (of any script).</summary>
    public static bool MayHoldIdNumber(ReadOnlySpan<char> id)
    {
        var run = 0;
        foreach (var c in id)
        {
            run = char.IsDigit(c) ? run + 1 : 0;
            if (run >= DigitRun)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The form in which <paramref name="id"/> may be stored or logged: itself, or its keyed hash when it may hold an ID number.</summary>
    public string ForStorage(string id)
    {
        if (!MayHoldIdNumber(id))
        {
            return id;
        }
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(id), mac);
        var hex = Convert.ToHexStringLower(mac[..16]);
        return $"{HashedPrefix}{hex[..8]}-{hex[8..16]}-{hex[16..24]}-{hex[24..]}";
    }
}
