using System.CommandLine;
using Credentials.Core.Committees;
using Credentials.Core.Principals;
using Credentials.Server.Security;
using Credentials.Store.Principals;

namespace Credentials.Server.Admin;

/// <summary><c>credentials-server principals ...</c>: who may call the service, with which role, and how.</summary>
internal static class PrincipalCommands
{
    private const string CertificateHelp = "A PEM client certificate file, or its SHA-256 fingerprint (64 hex digits)";

    public static Command Create(Handlers handlers) =>
        new("principals", "The callers of the service (authority, committees, employers, the platform) and their tokens")
        {
            Add(handlers), List(handlers), Revoke(handlers), Bind(handlers), Unbind(handlers),
        };

    private static Command Add(Handlers handlers)
    {
        var name = new Argument<string>("name") { Description = "A name for the principal, e.g. dl-s01 or hr-office" };
        var role = new Option<string>("--role") { Description = "What it may do", Required = true };
        role.AcceptOnlyFromAmong([.. Enum.GetValues<Role>().Select(r => r.ToName())]);
        var committee = new Option<string?>("--committee") { Description = "The committee code, for the committee role (e.g. DL-S01)", HelpName = "CODE" };
        var certificate = new Option<string?>("--certificate")
        {
            Description = CertificateHelp + ": the token then works only over TLS presenting that certificate",
            HelpName = "CERT",
        };
        var command = new Command("add", "Add a principal and print its token once (only its SHA-256 hash is kept).")
        {
            name, role, committee, certificate,
        };
        handlers.Set(command, StoreUse.Existing, context => context.WithStoreAsync(async store =>
        {
            RoleNames.TryParse(context.Get(role), out var parsed);
            var code = context.Get(committee) is { } text ? CommitteeCode.Normalize(text) : null;
            var fingerprint = context.Get(certificate) is { } cert ? ClientCertificates.ReadFingerprint(cert) : null;
            var (principal, token) = await store.Get<PrincipalAdmin>().AddAsync(context.Get(name), parsed, code, context.By, fingerprint);
            var scope = principal.CommitteeCode is null ? "" : $" for committee {principal.CommitteeCode}";
            var bound = fingerprint is null ? "" : $", bound to the client certificate SHA-256 {ClientCertificates.Hex(fingerprint)}";
            // Scripts read the token as the one line that is only a crd_ token.
            return context.Print($"Added {principal.Name} ({principal.Role.ToName()}{scope}{bound}).\nToken (shown once):\n\n    {token}\n");
        }));
        return command;
    }

    private static Command List(Handlers handlers)
    {
        var command = new Command("list", "List the principals: role, committee, token hint, certificate binding, state.");
        handlers.Set(command, StoreUse.Existing, context => context.WithStoreAsync(store =>
        {
            using var connection = store.Database.OpenReader();
            context.Output.WriteLine($"{"NAME",-24} {"ROLE",-10} {"COMMITTEE",-12} {"TOKEN",-10} {"CERTIFICATE",-16} {"CREATED",-20} STATE");
            foreach (var p in PrincipalRepository.List(connection))
            {
                context.Output.WriteLine($"{p.Name,-24} {p.Role.ToName(),-10} {p.CommitteeCode ?? "-",-12} {p.TokenHint,-10} " +
                    $"{ClientCertificates.Short(p.CertificateSha256),-16} " +
                    $"{p.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {(p.IsRevoked ? "revoked" : "active")}");
            }
            return Task.FromResult(ServerExitCodes.Ok);
        }));
        return command;
    }

    private static Command Revoke(Handlers handlers)
    {
        var name = new Argument<string>("name") { Description = "The principal" };
        var command = new Command("revoke", "Revoke a principal's token; it stops working on its next call.") { name };
        handlers.Set(command, StoreUse.Existing, context => context.WithStoreAsync(async store =>
        {
            await store.Get<PrincipalAdmin>().RevokeAsync(context.Get(name), context.By);
            return context.Print($"Revoked {context.Get(name)}.");
        }));
        return command;
    }

    private static Command Bind(Handlers handlers)
    {
        var name = new Argument<string>("name") { Description = "The principal" };
        var certificate = new Argument<string>("certificate") { Description = CertificateHelp };
        var command = new Command("bind-certificate", "Bind a principal to a client certificate: its token then works only over TLS presenting it.")
        {
            name, certificate,
        };
        handlers.Set(command, StoreUse.Existing, context => context.WithStoreAsync(async store =>
        {
            var fingerprint = ClientCertificates.ReadFingerprint(context.Get(certificate));
            await store.Get<PrincipalAdmin>().BindCertificateAsync(context.Get(name), fingerprint, context.By);
            return context.Print($"Bound {context.Get(name)} to the client certificate SHA-256 {ClientCertificates.Hex(fingerprint)}.");
        }));
        return command;
    }

    private static Command Unbind(Handlers handlers)
    {
        var name = new Argument<string>("name") { Description = "The principal" };
        var command = new Command("unbind-certificate", "Remove a principal's client certificate binding.") { name };
        handlers.Set(command, StoreUse.Existing, context => context.WithStoreAsync(async store =>
        {
            await store.Get<PrincipalAdmin>().BindCertificateAsync(context.Get(name), null, context.By);
            return context.Print($"{context.Get(name)} is bound to no client certificate.");
        }));
        return command;
    }
}
