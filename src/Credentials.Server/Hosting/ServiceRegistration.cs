using Credentials.Core.Identity;
using Credentials.Core.Policy;
using Credentials.Server.Admin;
using Credentials.Server.Certificates;
using Credentials.Server.Keys;
using Credentials.Server.Ledger;
using Credentials.Server.Security;
using Credentials.Server.Verification;
using Credentials.Store;
using Credentials.Store.Certificates;
using Credentials.Store.Verification;
using Credentials.Store.Writing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Credentials.Server.Hosting;

public static class ServiceRegistration
{
    /// <summary>
    /// The store and the domain services of Credentials: what the server's gRPC services and the
    /// admin commands share (the host adds the gRPC side with <see cref="GrpcHosting.AddCredentialsGrpc"/>).
    /// </summary>
    public static IServiceCollection AddCredentialsServices(this IServiceCollection services, ServerOptions options, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => DataDirectory.Prepare(options.DataDir));
        services.AddSingleton(sp => Database.Open(sp.GetRequiredService<DataDirectory>().Root));
        services.AddSingleton<StoreWriter>();
        services.AddSingleton(configuration.GetSection("Policy").Get<PolicyProfile>() ?? new PolicyProfile());
        services.AddSingleton<TokenCache>();
        services.AddSingleton<PrincipalAdmin>();
        services.AddSingleton(configuration.GetSection("Keys").Get<KeysOptions>() ?? new KeysOptions());
        services.AddSingleton<KeyFiles>();
        services.AddSingleton<KeyRing>();
        services.AddSingleton<KeyManagement>();
        services.AddSingleton(sp => new HolderDigests(sp.GetRequiredService<DataDirectory>().LoadOrCreateHolderKey()));
        services.AddSingleton<CallerIdentifiers>();
        services.AddSingleton<SerialAllocator>();
        services.AddSingleton<CertificateIssuer>();
        services.AddSingleton(configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions());
        services.AddSingleton<VerificationRateLimiter>();
        services.AddSingleton<VerificationLog>();
        services.AddHostedService(sp => sp.GetRequiredService<VerificationLog>());
        services.AddSingleton<VerificationLookup>();
        services.AddSingleton<CertificateVerifier>();
        services.AddSingleton<EnvelopeChecker>();
        services.AddSingleton(configuration.GetSection("Ledger").Get<LedgerOptions>() ?? new LedgerOptions());
        services.AddSingleton<LogKey>();
        services.AddSingleton<LogCheckpoints>();
        return services;
    }
}
