using System.CommandLine;
using Credentials.Core.Holders;
using Credentials.Core.Validation;
using Credentials.Server.Holders;

namespace Credentials.Server.Admin;

/// <summary><c>credentials-server holders token</c>: a holder token for a single machine or for trying the holder's side.</summary>
internal static class HolderCommands
{
    public static Command Create(Handlers handlers)
    {
        var name = new Option<string>("--name") { Description = "The holder's name, as on the ID card", Required = true };
        var document = new Option<string>("--document")
        {
            Description = "The holder's ID number (18 characters, GB 11643); it goes into the token, never into the store or a log",
            Required = true,
            HelpName = "NUMBER",
        };
        var hours = new Option<double>("--hours")
        {
            Description = $"How long the token is valid, up to {LocalHolderTokens.MaxLifetime.TotalHours:0} hours (default 1)",
            DefaultValueFactory = _ => 1,
        };
        var token = new Command("token",
            "Print a short-lived holder token (JWT) signed with this store's local key. The service accepts it only with " +
            "Holders:TrustLocalTokens=true; holders of a real deployment sign in with the identity provider's token.")
        {
            name, document, hours,
        };
        handlers.Set(token, StoreUse.Existing, context => context.WithStoreAsync(async store =>
        {
            var violations = new Violations();
            var holderName = Text.Normalize(context.Get(name));
            violations.AddIf("--name", Text.Check(holderName, 1, 50));
            var now = store.Get<TimeProvider>().GetUtcNow();
            var identity = HolderIdentity.FromClaim(context.Get(document), Core.Time.ChinaCalendar.DateOf(now), out var error);
            violations.AddIf("--document", error);
            var lifetime = TimeSpan.FromHours(context.Get(hours));
            if (lifetime <= TimeSpan.Zero || lifetime > LocalHolderTokens.MaxLifetime)
            {
                violations.Add("--hours", $"must be more than 0 and at most {LocalHolderTokens.MaxLifetime.TotalHours:0}");
            }
            violations.ThrowIfAny();

            var options = context.Settings.Options.Holders;
            var jwt = store.Get<LocalHolderTokens>().Mint(holderName, identity!.Value.Number, lifetime, options, now);
            // Making a token that acts as a holder is an operator's act worth a line in the audit trail (without whom it names).
            await store.Writer.ExecuteAsync(context.By, _ => 0);
            if (!options.TrustLocalTokens)
            {
                context.Error.WriteLine("Note: the service accepts this token only with Holders:TrustLocalTokens=true (off by default).");
            }
            return context.Print(jwt);
        }));
        return new Command("holders", "Certificate holders (持证人) and how they sign in") { token };
    }
}
