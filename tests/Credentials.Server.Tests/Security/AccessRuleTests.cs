using Credentials.Server.Security;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Security;

public sealed class AccessRuleTests
{
    [Fact]
    public async Task EveryServedMethod_OfOurServices_IsImplementedAndStatesWhoMayCallIt()
    {
        await using var server = await TestServer.StartAsync();
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => (Endpoint: e, Grpc: e.Metadata.GetMetadata<GrpcMethodMetadata>()))
            .Where(e => e.Grpc is not null && e.Grpc.Method.ServiceName.StartsWith("credentials.", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e =>
        {
            var name = e.Grpc!.Method.FullName;
            Assert.True(e.Grpc.ServiceType.GetMethod(e.Grpc.Method.Name)?.DeclaringType == e.Grpc.ServiceType, $"{name} has no implementation");
            var policies = e.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            var anonymous = e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            Assert.True(policies.Count == 1 ^ anonymous, $"{name} must carry exactly one of [Authorize(Policy = ...)] and [AllowAnonymous]");
            if (!anonymous)
            {
                Assert.NotEmpty(Policies.RolesOf(policies[0]!));
            }
        });
    }
}
