using Credentials.Server.Audit;
using Credentials.Server.Certificates;
using Credentials.Server.Committees;
using Credentials.Server.Diagnostics;
using Credentials.Server.Errors;
using Credentials.Server.Integrity;
using Credentials.Server.Ledger;
using Credentials.Server.Operations;
using Credentials.Server.Security;
using Credentials.Server.Verification;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Credentials.Server.Hosting;

/// <summary>
/// The gRPC side of the host on Grpc.AspNetCore: the services, health (grpc.health.v1 from ASP.NET
/// Core health checks), reflection (v1 and v1alpha), authentication and authorization, the
/// interceptors, and the request pipeline that puts them in order.
/// </summary>
public static class GrpcHosting
{
    /// <summary>The largest request message accepted, after decompression (gRPC's usual default).</summary>
    public const int MaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>The services of credentials.v1, as grpc.health.v1 names them (each follows the store, as "" does).</summary>
    public static readonly IReadOnlyList<string> ServiceNames =
    [
        V1.DiagnosticsService.Descriptor.FullName,
        V1.CommitteeService.Descriptor.FullName,
        V1.CertificateService.Descriptor.FullName,
        V1.AuditService.Descriptor.FullName,
        V1.IntegrityService.Descriptor.FullName,
        V1.VerificationService.Descriptor.FullName,
        V1.LedgerService.Descriptor.FullName,
    ];

    public static IServiceCollection AddCredentialsGrpc(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton<CallStatistics>();
        services.AddSingleton<ErrorMappingInterceptor>();
        services.AddSingleton<AuditInterceptor>();
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = null;
            // Exception text may hold anything, personal data included: never sent.
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
            grpc.Interceptors.Add<AuditInterceptor>();
        });
        // Grpc.AspNetCore's binder out, ours in: the same methods, with requests whose string fields
        // are not UTF-8 refused as INVALID_ARGUMENT naming the field. Fails at start-up, not silently,
        // should a Grpc.AspNetCore version name its binder otherwise.
        services.Remove(services.Single(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType is { Name: "BinderServiceMethodProvider`1" }));
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(Utf8NamingMethodProvider<>));
        services.AddGrpcReflection();

        services.AddSingleton<StoreHealth>();
        services.AddGrpcHealthChecks(health =>
        {
            foreach (var name in ServiceNames)
            {
                health.Services.Map(name, _ => true);
            }
        }).AddCheck<StoreHealthCheck>(StoreHealthCheck.Name);
        services.AddHostedService<HealthPublication>();
        services.AddHostedService(sp => new StoreProbe(sp.GetRequiredService<StoreHealth>(), options.StoreProbeInterval, sp.GetRequiredService<TimeProvider>()));

        var authentication = services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        if (options.Tls.Enabled && !string.IsNullOrEmpty(options.Tls.ClientCaPath))
        {
            var roots = ClientCertificates.LoadBundle(options.Tls.ClientCaPath);
            authentication.AddCertificate(certificate => ClientCertificates.Configure(certificate, roots)).AddCertificateCache();
        }
        services.AddAuthorization(Policies.Add);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        return services;
    }

    /// <summary>Kestrel settings that suit gRPC: HTTP/2 only, windows large enough for streams of big messages.</summary>
    public static void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        var http2 = kestrel.Limits.Http2;
        http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
        http2.InitialStreamWindowSize = 1024 * 1024;
        kestrel.AddServerHeader = false;
    }

    /// <summary>
    /// The pipeline: routing, call statistics (which see every outcome), the request id, the bearer
    /// token, the access rules, then the services. Refusals before a service are Trailers-Only gRPC
    /// statuses.
    /// </summary>
    public static WebApplication UseCredentialsGrpc(this WebApplication app)
    {
        app.UseRouting();
        app.UseMiddleware<CallStatisticsMiddleware>();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseAuthentication();
        app.UseMiddleware<AuthenticationFailureMiddleware>();
        app.UseAuthorization();
        // A place for telemetry (OpenTelemetry's ASP.NET Core and gRPC instrumentation) when it comes: it hooks in through DI, not here.

        app.MapCredentialsService<DiagnosticsService>();
        app.MapCredentialsService<CommitteeService>();
        app.MapCredentialsService<CertificateService>();
        app.MapCredentialsService<AuditService>();
        app.MapCredentialsService<IntegrityService>();
        app.MapCredentialsService<VerificationService>();
        app.MapCredentialsService<LedgerService>();
        // Protocol services: open to anyone, as gRPC clients and load balancers expect.
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Maps a service. Its methods state their own access rule; the "unimplemented" endpoints
    /// Grpc.AspNetCore adds for unknown methods and services answer UNIMPLEMENTED to anyone.
    /// </summary>
    private static void MapCredentialsService<TService>(this WebApplication app)
        where TService : class =>
        app.MapGrpcService<TService>().Add(endpoint =>
        {
            if (!endpoint.Metadata.OfType<GrpcMethodMetadata>().Any())
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
        });
}
