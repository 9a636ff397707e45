using Credentials.Core.Principals;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;

namespace Credentials.Server.Security;

/// <summary>
/// Both kinds of bearer token arrive as <c>authorization: Bearer ...</c>: the <c>crd_</c> tokens of principals
/// (<see cref="TokenAuthenticationHandler"/>) and the JWTs holders sign in with (<see cref="Holders.HolderAuthentication"/>).
/// One policy scheme, the default one, hands each request to the handler its token's shape calls for, so the
/// access rules name one scheme and a holder's JWT never reaches the token lookup (nor a crd_ token the JWT handler).
/// </summary>
public static class BearerSchemes
{
    /// <summary>The default scheme: forwards to the token handler or the holder JWT handler.</summary>
    public const string Name = "Bearer";

    public static AuthenticationBuilder AddBearerSelection(this AuthenticationBuilder authentication, bool holdersSignIn) =>
        authentication.AddPolicyScheme(Name, "crd_ tokens and holder JWTs", options => options.ForwardDefaultSelector = http =>
            holdersSignIn && IsJwtShaped(BearerToken(http.Request.Headers[HeaderNames.Authorization].ToString()))
                ? Holders.HolderAuthentication.SchemeName
                : TokenAuthenticationHandler.SchemeName);

    /// <summary>Three base64url segments separated by dots (a JWS in compact form), never a crd_ token.</summary>
    public static bool IsJwtShaped(string token)
    {
        if (token.StartsWith(AccessToken.Prefix, StringComparison.Ordinal) || token.Length > 16 * 1024)
        {
            return false;
        }
        var dots = 0;
        foreach (var c in token)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }
        return dots == 2;
    }

    private static string BearerToken(string header) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
}
