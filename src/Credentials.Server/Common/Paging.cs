using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Credentials.Core.Validation;

namespace Credentials.Server.Common;

/// <summary>
/// AIP-158 paging: page_size 0 means the default, larger than the maximum is lowered to it,
/// negative is invalid; page_token is opaque (base64url of the last key and a fingerprint of
/// the filters, so a token cannot be replayed with other filters).
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static int PageSize(int requested, Violations violations)
    {
        if (requested < 0)
        {
            violations.Add("page_size", "must not be negative");
            return DefaultPageSize;
        }
        return requested == 0 ? DefaultPageSize : Math.Min(requested, MaxPageSize);
    }

    /// <summary>The key to continue after ("" for the first page); a violation when the token is not one of ours for these filters.</summary>
    public static string After(string pageToken, string filters, Violations violations)
    {
        if (pageToken.Length == 0)
        {
            return "";
        }
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(pageToken));
            var separator = text.IndexOf('\n', StringComparison.Ordinal);
            if (separator > 0 && text[..separator] == Fingerprint(filters))
            {
                return text[(separator + 1)..];
            }
        }
        catch (FormatException)
        {
        }
        violations.Add("page_token", "is not a token from a previous page of this list with the same filters");
        return "";
    }

    /// <summary>
    /// For lists by id, newest first: the id to continue below (0 for the first page); a violation
    /// when the token is not one of ours for these filters.
    /// </summary>
    public static long BeforeId(string pageToken, string filters, Violations violations)
    {
        var after = After(pageToken, filters, violations);
        if (after.Length == 0)
        {
            return 0;
        }
        if (long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }
        violations.Add("page_token", "is not a token from a previous page of this list with the same filters");
        return 0;
    }

    public static string Token(string lastKey, string filters) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Fingerprint(filters) + "\n" + lastKey));

    private static string Fingerprint(string filters) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(filters)), 0, 8);
}
