using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Credentials.Core.Principals;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.Options;

namespace Credentials.Server.Security;

/// <summary>
/// Authenticates <c>authorization: Bearer crd_...</c>: the token's principal (from
/// <see cref="TokenCache"/>), not revoked, and, when the principal is bound to a client
/// certificate, only on a connection whose certificate the certificate handler accepted and whose
/// SHA-256 is the bound one. The certificate is a second factor: it never authenticates alone.
/// No header: no result (anonymous). Anything else wrong: a failure whose message the caller gets
/// with UNAUTHENTICATED (<see cref="AuthenticationFailureMiddleware"/>).
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenCache tokens,
    IAuthenticationSchemeProvider schemes)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization;
        if (header.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }
        const string prefix = "Bearer ";
        var value = header.Count == 1 ? header[0] ?? "" : "";
        if (!value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The authorization header must be 'Bearer <token>'.");
        }
        var token = value[prefix.Length..].Trim();
        if (!AccessToken.IsWellFormed(token))
        {
            // A holder's JWT comes here only when holder sign-in is not configured (BearerSchemes).
            return AuthenticateResult.Fail(BearerSchemes.IsJwtShaped(token)
                ? "Holder sign-in is not configured on this server: a JWT is not accepted."
                : "The bearer token is malformed.");
        }
        var principal = tokens.Find(AccessToken.Hash(token));
        if (principal is null || principal.IsRevoked)
        {
            return AuthenticateResult.Fail("The bearer token is unknown or revoked.");
        }
        if (principal.CertificateSha256 is { } bound && !await PresentedCertificateIsAsync(bound))
        {
            return AuthenticateResult.Fail("This token is bound to a client certificate: call over TLS presenting that certificate.");
        }
        var identity = new ClaimsIdentity(Caller.Claims(principal), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>
    /// Whether the certificate handler accepted the connection's client certificate (it chains to
    /// Tls:ClientCaPath) and it is the one with this SHA-256, compared in constant time.
    /// </summary>
    private async Task<bool> PresentedCertificateIsAsync(byte[] fingerprint)
    {
        if (Context.Connection.ClientCertificate is not { } presented
            || await schemes.GetSchemeAsync(CertificateAuthenticationDefaults.AuthenticationScheme) is null)
        {
            return false;
        }
        var result = await Context.AuthenticateAsync(CertificateAuthenticationDefaults.AuthenticationScheme);
        return result.Succeeded && CryptographicOperations.FixedTimeEquals(ClientCertificates.Fingerprint(presented), fingerprint);
    }
}
