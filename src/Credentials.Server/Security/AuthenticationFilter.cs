using System.Security.Cryptography;
using Credentials.Core.Principals;
using Credentials.Grpc;
using Credentials.Grpc.Server;
using Credentials.Store;
using Credentials.Store.Principals;

namespace Credentials.Server.Security;

/// <summary>
/// Authenticates the bearer token of every call and enforces the method's
/// <see cref="AuthorizeAttribute"/>: no or a bad token is UNAUTHENTICATED, the wrong role
/// PERMISSION_DENIED. Tokens are looked up by their SHA-256 on every call, so a revoked
/// token stops working at once. A principal bound to a client certificate is accepted only on a
/// connection that presented it (mutual TLS); the certificate alone never authenticates. Methods of our own services must state who may call them;
/// protocol services (health, reflection) are open.
/// </summary>
public sealed class AuthenticationFilter(Database database) : IServerCallFilter
{
    private const string OwnPackage = "credentials.";

    public ValueTask OnCallStartingAsync(ServerCallContext context)
    {
        var method = context.Method;
        var token = ReadBearerToken(context);
        if (token is not null)
        {
            context.SetCaller(Authenticate(token, context));
        }
        if (method.GetAttribute<AllowAnonymousAttribute>() is not null
            || !method.Descriptor.Service.FullName.StartsWith(OwnPackage, StringComparison.Ordinal))
        {
            return ValueTask.CompletedTask;
        }
        var caller = context.Caller()
            ?? throw new RpcException(StatusCode.Unauthenticated, "This method needs a bearer token (authorization: Bearer crd_...).");
        var rule = method.GetAttribute<AuthorizeAttribute>()
            ?? throw new RpcException(StatusCode.PermissionDenied, "This method has no access rule.");
        if (!rule.Roles.Contains(caller.Role))
        {
            throw new RpcException(StatusCode.PermissionDenied,
                $"The {caller.Role.ToName()} role may not call {method.Descriptor.Name}.");
        }
        return ValueTask.CompletedTask;
    }

    private Principal Authenticate(string token, ServerCallContext context)
    {
        if (!AccessToken.IsWellFormed(token))
        {
            throw new RpcException(StatusCode.Unauthenticated, "The bearer token is malformed.");
        }
        using var connection = database.OpenReader();
        var principal = PrincipalRepository.FindByTokenHash(connection, AccessToken.Hash(token));
        if (principal is null || principal.IsRevoked)
        {
            throw new RpcException(StatusCode.Unauthenticated, "The bearer token is unknown or revoked.");
        }
        if (principal.CertificateSha256 is { } bound && !PresentedCertificateIs(context, bound))
        {
            throw new RpcException(StatusCode.Unauthenticated,
                "This token is bound to a client certificate: call over TLS presenting that certificate.");
        }
        return principal;
    }

    /// <summary>
    /// Whether the connection's TLS handshake presented the certificate with this SHA-256. Kestrel
    /// has checked already that it chains to the configured client CA bundle.
    /// </summary>
    private static bool PresentedCertificateIs(ServerCallContext context, byte[] fingerprint) =>
        context.GetHttpContext().Connection.ClientCertificate is { } presented
        && CryptographicOperations.FixedTimeEquals(ClientCertificates.Fingerprint(presented), fingerprint);

    private static string? ReadBearerToken(ServerCallContext context)
    {
        var header = context.GetHttpContext().Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return null;
        }
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(StatusCode.Unauthenticated, "The authorization header must be 'Bearer <token>'.");
        }
        return header[scheme.Length..].Trim();
    }
}
