using Credentials.Grpc.Server;
using Grpc.Testing;

namespace Credentials.Grpc.Interop;

public static class InteropHost
{
    /// <summary>The gRPC server with TestService, health and reflection.</summary>
    public static IServiceCollection AddServices(IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        services.AddGrpcServer(configure);
        services.AddGrpcService<TestServiceImpl>(TestReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("TestService"));
        return services;
    }
}
