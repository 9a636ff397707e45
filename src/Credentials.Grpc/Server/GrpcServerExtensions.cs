using Credentials.Grpc.Health;
using Credentials.Grpc.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Credentials.Grpc.Server;

public static class GrpcServerExtensions
{
    /// <summary>Adds the gRPC server, with health and reflection unless switched off.</summary>
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        var options = new GrpcServerOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.TryAddSingleton<GrpcServer>();
        services.TryAddSingleton<HealthService>();
        if (options.EnableHealth)
        {
            services.AddGrpcService<HealthService>(global::Grpc.Health.V1.HealthReflection.Descriptor.Services[0]);
        }
        if (options.EnableReflection)
        {
            services.AddGrpcService<ReflectionServiceV1>(global::Grpc.Reflection.V1.ReflectionReflection.Descriptor.Services[0]);
            services.AddGrpcService<ReflectionServiceV1Alpha>(global::Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor.Services[0]);
        }
        return services;
    }

    /// <summary>Serves <paramref name="descriptor"/> with a singleton <typeparamref name="TService"/>.</summary>
    public static IServiceCollection AddGrpcService<TService>(this IServiceCollection services, ServiceDescriptor descriptor)
        where TService : class
    {
        services.TryAddSingleton<TService>();
        services.AddSingleton(new GrpcServiceRegistration(descriptor, typeof(TService)));
        return services;
    }

    /// <summary>Ends the pipeline with the gRPC dispatcher.</summary>
    public static IApplicationBuilder UseGrpcServer(this IApplicationBuilder app)
    {
        var server = app.ApplicationServices.GetRequiredService<GrpcServer>();
        app.Run(server.HandleAsync);
        return app;
    }
}
