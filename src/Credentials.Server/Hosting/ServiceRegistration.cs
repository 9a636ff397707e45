using Credentials.Core.Identity;
using Credentials.Core.Policy;
using Credentials.Grpc.Server;
using Credentials.Server.Admin;
using Credentials.Server.Audit;
using Credentials.Server.Certificates;
using Credentials.Server.Committees;
using Credentials.Server.Diagnostics;
using Credentials.Server.Errors;
using Credentials.Server.Integrity;
using Credentials.Server.Keys;
using Credentials.Server.Ledger;
using Credentials.Server.Security;
using Credentials.Server.Verification;
using Credentials.Store;
using Credentials.Store.Certificates;
using Credentials.Store.Verification;
using Credentials.Store.Writing;
using Credentials.V1;
using Microsoft.Extensions.DependencyInjection.Extensions;
using AuditService = Credentials.Server.Audit.AuditService;
using CertificateService = Credentials.Server.Certificates.CertificateService;
using CommitteeService = Credentials.Server.Committees.CommitteeService;
using DiagnosticsService = Credentials.Server.Diagnostics.DiagnosticsService;
using IntegrityService = Credentials.Server.Integrity.IntegrityService;
using LedgerService = Credentials.Server.Ledger.LedgerService;
using VerificationService = Credentials.Server.Verification.VerificationService;

namespace Credentials.Server.Hosting;

public static class ServiceRegistration
{
    /// <summary>The store, the domain services and every gRPC service of Credentials.</summary>
    public static IServiceCollection AddCredentialsServices(this IServiceCollection services, ServerOptions options, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => DataDirectory.Prepare(options.DataDir));
        services.AddSingleton(sp => Database.Open(sp.GetRequiredService<DataDirectory>().Root));
        services.AddSingleton(sp => new StoreWriter(sp.GetRequiredService<Database>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<StoreWriter>>()) { AuditSource = AuditTrail.Current });
        services.AddSingleton(configuration.GetSection("Policy").Get<PolicyProfile>() ?? new PolicyProfile());
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

        services.AddSingleton<IServerCallFilter, RequestIdFilter>();
        services.AddSingleton<IServerCallFilter, AuthenticationFilter>();
        services.AddSingleton<Operations.StoreHealth>();
        services.AddHostedService(sp => new Operations.StoreProbe(sp.GetRequiredService<Operations.StoreHealth>(),
            options.StoreProbeInterval, sp.GetRequiredService<TimeProvider>()));
        services.AddGrpcServer(grpc => grpc.ExceptionMapper = DomainErrors.Map);
        services.AddGrpcService<DiagnosticsService>(DiagnosticsReflection.Descriptor.Services[0]);
        services.AddGrpcService<CommitteeService>(CommitteesReflection.Descriptor.Services[0]);
        services.AddGrpcService<CertificateService>(CertificatesReflection.Descriptor.Services[0]);
        services.AddGrpcService<AuditService>(AuditReflection.Descriptor.Services[0]);
        services.AddGrpcService<IntegrityService>(IntegrityReflection.Descriptor.Services[0]);
        services.AddGrpcService<VerificationService>(VerificationReflection.Descriptor.Services[0]);
        services.AddGrpcService<LedgerService>(LedgerReflection.Descriptor.Services[0]);
        return services;
    }
}
