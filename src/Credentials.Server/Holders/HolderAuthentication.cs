using Credentials.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Credentials.Server.Holders;

/// <summary>
/// Holders sign in with a JWT bearer token (Microsoft.AspNetCore.Authentication.JwtBearer): the identity provider's,
/// validated against the configured issuer, audience and keys (<see cref="HoldersOptions"/>), and, where the
/// operator turned it on, one of <c>credentials-server holders token</c> (<see cref="LocalHolderTokens"/>). On
/// success <see cref="HolderSignIn"/> replaces the token's claims by the holder's keyed HMAC, so the ID number is
/// in no principal, log or table; on failure the caller gets UNAUTHENTICATED with a reason of ours.
/// </summary>
public static class HolderAuthentication
{
    public const string SchemeName = "HolderJwt";

    /// <summary>Asymmetric signatures only: never "none", never a shared secret.</summary>
    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static AuthenticationBuilder AddHolderJwt(this AuthenticationBuilder authentication, HoldersOptions holders)
    {
        authentication.AddJwtBearer(SchemeName, _ => { });
        authentication.Services.AddSingleton<HolderSignIn>();
        authentication.Services.AddOptions<JwtBearerOptions>(SchemeName).Configure<HolderSignIn, LocalHolderTokens, TimeProvider>(
            (jwt, signIn, local, time) => Configure(jwt, holders, signIn, local, time));
        return authentication;
    }

    private static void Configure(JwtBearerOptions jwt, HoldersOptions holders, HolderSignIn signIn, LocalHolderTokens local, TimeProvider time)
    {
        var issuers = new List<string>();
        var keys = new List<SecurityKey>();
        if (holders.ProviderEnabled)
        {
            issuers.Add(holders.Issuer);
            if (holders.MetadataAddress.Length > 0)
            {
                jwt.MetadataAddress = holders.MetadataAddress;
                jwt.RequireHttpsMetadata = holders.RequireHttpsMetadata;
            }
            else
            {
                keys.AddRange(holders.ReadJwks(out _)!);
            }
        }
        if (holders.TrustLocalTokens)
        {
            issuers.Add(LocalHolderTokens.Issuer);
            keys.Add(local.VerificationKey);
        }
        // The claims as the token names them (no mapping to long URIs), the token itself never kept.
        jwt.MapInboundClaims = false;
        jwt.SaveToken = false;
        jwt.IncludeErrorDetails = false;
        jwt.TimeProvider = time;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuers = issuers,
            ValidAudience = holders.Audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = holders.ClockSkew,
            // On the injected clock, as every time rule here.
            LifetimeValidator = (notBefore, expires, _, parameters) => CheckLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime, parameters.ClockSkew),
        };
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                signIn.ReplaceClaims(context);
                return Task.CompletedTask;
            },
            OnAuthenticationFailed = context =>
            {
                context.Fail(HolderSignIn.Describe(context.Exception));
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>The token's lifetime against <paramref name="now"/>; throws what the failure message is made from.</summary>
    private static bool CheckLifetime(DateTime? notBefore, DateTime? expires, DateTime now, TimeSpan skew)
    {
        if (expires is not { } until)
        {
            throw new SecurityTokenNoExpirationException("The holder token has no expiry.");
        }
        if (notBefore is { } from && from > now + skew)
        {
            throw new SecurityTokenNotYetValidException("The holder token is not valid yet.") { NotBefore = from };
        }
        if (until < now - skew)
        {
            throw new SecurityTokenExpiredException("The holder token has expired.") { Expires = until };
        }
        return true;
    }
}
