using Credentials.Core.Policy;
using Credentials.Grpc.Server;
using Credentials.Server.Admin;
using Credentials.Server.Committees;
using Credentials.Server.Diagnostics;
using Credentials.Server.Errors;
using Credentials.Server.Security;
using Credentials.Store;
using Credentials.Store.Writing;
using Credentials.V1;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Credentials.Server.Hosting;

public static class ServiceRegistration
{
    /// <summary>The store, the domain services and every gRPC service of Credentials.</summary>
    public static IServiceCollection AddCredentialsServices(this IServiceCollection services, ServerOptions options, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => DataDirectory.Prepare(options.DataDir));
        services.AddSingleton(sp => Database.Open(sp.GetRequiredService<DataDirectory>().Root));
        services.AddSingleton<StoreWriter>();
        services.AddSingleton(configuration.GetSection("Policy").Get<PolicyProfile>() ?? new PolicyProfile());
        services.AddSingleton<PrincipalAdmin>();

        services.AddSingleton<IServerCallFilter, AuthenticationFilter>();
        services.AddGrpcServer(grpc => grpc.ExceptionMapper = DomainErrors.Map);
        services.AddGrpcService<DiagnosticsService>(DiagnosticsReflection.Descriptor.Services[0]);
        services.AddGrpcService<CommitteeService>(CommitteesReflection.Descriptor.Services[0]);
        return services;
    }
}
