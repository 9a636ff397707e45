using Credentials.Core.Committees;
using Credentials.Core.Principals;
using Credentials.Core.Validation;
using Credentials.Server.Security;
using Credentials.Store;
using Credentials.Store.Audit;
using Credentials.Store.Committees;
using Credentials.Store.Principals;
using Credentials.Store.Writing;

namespace Credentials.Server.Admin;

/// <summary>
/// Creating and revoking principals; shared by the admin commands and first start. Each change is
/// recorded against the <see cref="AuditEntry"/> it is given, and clears this process's token cache.
/// </summary>
public sealed class PrincipalAdmin(StoreWriter writer, TokenCache tokens)
{
    /// <summary>The name of the authority principal made at first start.</summary>
    public const string FirstAuthority = "authority";

    /// <summary>Creates a principal and returns it with its token: the only time the token exists in clear.</summary>
    public Task<(Principal Principal, string Token)> AddAsync(string name, Role role, string? committeeCode, AuditEntry by,
        byte[]? certificateSha256 = null)
    {
        var violations = new Violations();
        violations.AddIf("name", Text.Check(name, 1, 100));
        if (!RoleNames.PrincipalRoles.Contains(role))
        {
            violations.Add("role", "must be authority, committee, employer or platform (holders sign in with the identity provider's token)");
        }
        if (role == Role.Committee)
        {
            violations.AddIf("committee", committeeCode is null ? "is required for the committee role" : CommitteeCode.Check(committeeCode));
        }
        else if (committeeCode is not null)
        {
            violations.Add("committee", "is only for the committee role");
        }
        violations.ThrowIfAny();
        var token = AccessToken.Generate();
        return writer.ExecuteAsync(by, tx =>
        {
            if (PrincipalRepository.FindByName(tx.Connection, name, tx.Transaction) is not null)
            {
                throw new AlreadyExistsException("PRINCIPAL_EXISTS", $"A principal named '{name}' exists already.");
            }
            if (committeeCode is not null && CommitteeRepository.Get(tx.Connection, committeeCode, tx.Transaction) is null)
            {
                throw new NotFoundException("committee", committeeCode);
            }
            var principal = PrincipalRepository.Insert(tx.Connection, tx.Transaction, name, role, committeeCode,
                AccessToken.Hash(token), AccessToken.Hint(token), tx.Now, by.Principal);
            if (certificateSha256 is not null)
            {
                PrincipalRepository.BindCertificate(tx.Connection, tx.Transaction, name, certificateSha256);
                principal = principal with { CertificateSha256 = certificateSha256 };
            }
            return (principal, token);
        });
    }

    /// <summary>
    /// Revokes a principal's token: it stops working on its next call to this process, and within
    /// <see cref="TokenCache.Lifetime"/> in a server running elsewhere on the store.
    /// </summary>
    public async Task RevokeAsync(string name, AuditEntry by)
    {
        await writer.ExecuteAsync(by, tx => PrincipalRepository.Revoke(tx.Connection, tx.Transaction, name, tx.Now)
            ? true
            : throw new NotFoundException("principal", name));
        tokens.Clear();
    }

    /// <summary>
    /// Binds a principal to the client certificate with this SHA-256, replacing an earlier binding
    /// (null unbinds): from its next call its token works only over TLS with that certificate
    /// (within <see cref="TokenCache.Lifetime"/> in a server running elsewhere on the store).
    /// </summary>
    public async Task BindCertificateAsync(string name, byte[]? certificateSha256, AuditEntry by)
    {
        await writer.ExecuteAsync(by, tx => PrincipalRepository.BindCertificate(tx.Connection, tx.Transaction, name, certificateSha256)
            ? true
            : throw new NotFoundException("principal", name));
        tokens.Clear();
    }

    /// <summary>On a store without an authority, creates the first one and returns its token; otherwise null.</summary>
    public async Task<string?> EnsureAuthorityAsync(Database database, AuditEntry by)
    {
        using (var connection = database.OpenReader())
        {
            if (PrincipalRepository.AnyAuthority(connection))
            {
                return null;
            }
        }
        var (_, token) = await AddAsync(FirstAuthority, Role.Authority, null, by);
        return token;
    }
}
