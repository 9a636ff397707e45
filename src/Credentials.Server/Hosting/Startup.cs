using Credentials.Server.Admin;
using Credentials.Server.Keys;
using Credentials.Store;
using Credentials.Store.Audit;

namespace Credentials.Server.Hosting;

/// <summary>What the service does before it listens: on a fresh data directory, initialise it.</summary>
public static class Startup
{
    /// <summary>
    /// On a fresh store, creates the signing key, the ledger's log key and the first authority, and prints the
    /// authority's token, once, to <paramref name="console"/>.
    /// </summary>
    public static async Task InitializeAsync(IServiceProvider services, TextWriter console)
    {
        var init = AuditEntry.Local("init", "startup");
        await services.GetRequiredService<KeyManagement>().EnsureKeyAsync(init);
        // The checkpoint key is made next to the signing keys at first start, so its verifier key can be published before any sync.
        services.GetRequiredService<Ledger.LogKey>().EnsureCreated();
        var admin = services.GetRequiredService<PrincipalAdmin>();
        var token = await admin.EnsureAuthorityAsync(services.GetRequiredService<Database>(), init);
        if (token is not null)
        {
            // Straight to the console, never to the log: this is the only time the token exists in clear.
            await console.WriteLineAsync($"""

                Initialised a new store in {services.GetRequiredService<DataDirectory>().Root}.
                Authority token (shown once; keep it safe):

                    {token}

                """);
        }
    }
}
