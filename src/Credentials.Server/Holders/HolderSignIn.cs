using System.Globalization;
using System.Security.Claims;
using Credentials.Core.Holders;
using Credentials.Core.Identity;
using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Credentials.Server.Holders;

/// <summary>
/// The claims transformation of a holder's validated token: the ID number claim becomes the holder's keyed HMAC
/// (HolderDigests.Lookup, the pseudonym certificates and records are kept under), and every other claim of the
/// token is dropped. What stays: the HMAC, a principal name made from it, the holder role, the name and masked
/// number to show the holder, the token's expiry. A token without a valid ID number claim is refused.
/// </summary>
public sealed class HolderSignIn(HoldersOptions options, HolderDigests digests, TimeProvider time)
{
    public const string NameClaim = "credentials:holder-name";
    public const string DocumentTypeClaim = "credentials:holder-document-type";
    public const string MaskedClaim = "credentials:holder-document-masked";
    public const string ExpiresClaim = "credentials:holder-expires";

    /// <summary>The principal name of a holder: "holder:" and 16 hex digits of their HMAC (in the audit trail, never an ID number).</summary>
    public static string PrincipalName(byte[] digest) => "holder:" + Convert.ToHexStringLower(digest.AsSpan(0, 8));

    public void ReplaceClaims(TokenValidatedContext context)
    {
        var token = context.Principal!;
        if (HolderIdentity.FromClaim(token.FindFirstValue(options.DocumentClaim), ChinaCalendar.Today(time), out var error) is not { } document)
        {
            // The claim's value is not repeated: it may be a real ID number, slightly wrong.
            context.Fail($"The holder token carries no valid '{options.DocumentClaim}' claim: it {error}.");
            return;
        }
        var digest = digests.Lookup(document.Type, document.Number);
        var name = Text.Normalize(token.FindFirstValue(options.NameClaim));
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, PrincipalName(digest)),
            new(ClaimTypes.Role, Role.Holder.ToName()),
            new(Caller.HolderClaim, Convert.ToBase64String(digest)),
            new(NameClaim, Text.Check(name, 1, 50) is null ? name : ""),
            new(DocumentTypeClaim, ((int)document.Type).ToString(CultureInfo.InvariantCulture)),
            new(MaskedClaim, IdentityDocument.Mask(document.Number)),
            new(ExpiresClaim, new DateTimeOffset(context.SecurityToken.ValidTo, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        };
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, HolderAuthentication.SchemeName));
    }

    /// <summary>What the caller is told when a holder token does not validate: our words, naming the check that failed.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        SecurityTokenExpiredException => "The holder token has expired.",
        SecurityTokenNotYetValidException => "The holder token is not valid yet.",
        SecurityTokenNoExpirationException => "The holder token has no expiry.",
        SecurityTokenInvalidIssuerException => "The holder token's issuer is not trusted.",
        SecurityTokenInvalidAudienceException => "The holder token is for another audience than this service.",
        SecurityTokenInvalidAlgorithmException => "The holder token is signed with an algorithm this service does not accept.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "The holder token's signature does not verify under a key of a trusted issuer.",
        SecurityTokenMalformedException or ArgumentException => "The holder token is malformed.",
        _ => "The holder token is not valid.",
    };
}
