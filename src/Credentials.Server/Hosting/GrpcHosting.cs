using Credentials.Server.Audit;
using Credentials.Server.Certificates;
using Credentials.Server.Committees;
using Credentials.Server.Diagnostics;
using Credentials.Server.Errors;
using Credentials.Server.Integrity;
using Credentials.Server.Ledger;
using Credentials.Server.Operations;
using Credentials.Server.Security;
using Credentials.Server.Telemetry;
using Credentials.Server.Verification;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Net.Http.Headers;

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

    private const string AuthenticationMiddlewareSet = "__AuthenticationMiddlewareSet";
    private const string AuthorizationMiddlewareSet = "__AuthorizationMiddlewareSet";

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
        // Stateless, and Ping is the transport benchmark's method: one instance instead of one per call.
        services.AddSingleton<DiagnosticsService>();
        services.AddSingleton<ErrorMappingInterceptor>();
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = null;
            // Exception text may hold anything, personal data included: never sent.
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
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

    /// <summary>Kestrel settings that suit gRPC: windows large enough for streams of big messages, no dynamic header table.</summary>
    public static void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        var http2 = kestrel.Limits.Http2;
        http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
        http2.InitialStreamWindowSize = 1024 * 1024;
        kestrel.AddServerHeader = false;
        // Every response carries its own x-request-id, which HPACK's dynamic table would insert (and
        // evict something for) on every call: that costs more CPU than the table saves in bytes here
        // (0.4 µs of a 7 µs Ping, against about 60 bytes of headers per response).
        kestrel.AllowResponseHeaderCompression = false;
    }

    /// <summary>
    /// The pipeline: routing, the call's frame (its request id and logging scope, and its outcome:
    /// counts, metrics, the span's status), the bearer token, the access rules, then the services.
    /// Refusals before a service are Trailers-Only gRPC statuses. Traces need nothing here:
    /// OpenTelemetry's ASP.NET Core instrumentation listens to the host's request activity
    /// (Telemetry/TelemetryRegistration.cs).
    /// </summary>
    public static WebApplication UseCredentialsGrpc(this WebApplication app)
    {
        app.UseRouting();
        app.UseMiddleware<CallMiddleware>();
        // Without an authorization header there is nothing to authenticate (the token handler
        // answers NoResult, the certificate is never a credential alone), so anonymous calls skip
        // the handler and the failure check: together half a microsecond of a Ping.
        app.UseWhen(http => http.Request.Headers.ContainsKey(HeaderNames.Authorization), authenticated =>
        {
            authenticated.UseAuthentication();
            authenticated.UseMiddleware<AuthenticationFailureMiddleware>();
        });
        // An [AllowAnonymous] method is let through by the authorization middleware whatever the
        // policies say, after evaluating them; skipping it there saves that work and changes nothing.
        // Everything else, an unmatched path included, meets its policy or the fallback policy.
        app.UseWhen(http => http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null, authorized => authorized.UseAuthorization());
        // WebApplication puts UseAuthentication and UseAuthorization in front of the whole pipeline
        // unless they were called on the application itself; these are the marks they leave there.
        // (PipelineTests.AnonymousCallOfAProtectedMethod_IsAuthenticatedByItsPolicy fails if it adds them anyway.)
        var pipeline = ((IApplicationBuilder)app).Properties;
        pipeline[AuthenticationMiddlewareSet] = true;
        pipeline[AuthorizationMiddlewareSet] = true;

        var statistics = app.Services.GetRequiredService<CallStatistics>();
        // Its instruments exist from the start, not from the first call that needs one.
        app.Services.GetRequiredService<ServerMetrics>();
        app.MapCredentialsService<DiagnosticsService>(statistics);
        app.MapCredentialsService<CommitteeService>(statistics);
        app.MapCredentialsService<CertificateService>(statistics);
        app.MapCredentialsService<AuditService>(statistics);
        app.MapCredentialsService<IntegrityService>(statistics);
        app.MapCredentialsService<VerificationService>(statistics);
        app.MapCredentialsService<LedgerService>(statistics);
        // Protocol services: open to anyone, as gRPC clients and load balancers expect.
        app.MapGrpcHealthChecksService().AllowAnonymous().Add(endpoint => Count(endpoint, statistics));
        app.MapGrpcReflectionService().AllowAnonymous().Add(endpoint => Count(endpoint, statistics));
        return app;
    }

    /// <summary>
    /// Maps a service. Its methods state their own access rule; the "unimplemented" endpoints
    /// Grpc.AspNetCore adds for unknown methods and services answer UNIMPLEMENTED to anyone.
    /// </summary>
    private static void MapCredentialsService<TService>(this WebApplication app, CallStatistics statistics)
        where TService : class =>
        app.MapGrpcService<TService>().Add(endpoint =>
        {
            if (!endpoint.Metadata.OfType<GrpcMethodMetadata>().Any())
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
            Count(endpoint, statistics);
        });

    /// <summary>Gives a served method's endpoint its counters (<see cref="CallMiddleware"/>).</summary>
    private static void Count(EndpointBuilder endpoint, CallStatistics statistics)
    {
        if (endpoint.Metadata.OfType<GrpcMethodMetadata>().FirstOrDefault() is { } method)
        {
            endpoint.Metadata.Add(statistics.For(method.Method.FullName));
        }
    }
}
