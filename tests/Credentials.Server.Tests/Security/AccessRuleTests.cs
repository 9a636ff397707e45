using Credentials.Grpc.Server;
using Credentials.Server.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Security;

public sealed class AccessRuleTests
{
    [Fact]
    public async Task EveryServedMethod_OfOurServices_IsImplementedAndStatesWhoMayCallIt()
    {
        await using var server = await TestServer.StartAsync();
        var methods = server.Services.GetRequiredService<GrpcServer>().Methods
            .Where(m => m.Descriptor.Service.FullName.StartsWith("credentials.", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(methods);
        Assert.All(methods, m =>
        {
            Assert.True(m.Implementation is not null, $"{m.Path} has no implementation");
            Assert.True(m.GetAttribute<AuthorizeAttribute>() is not null ^ m.GetAttribute<AllowAnonymousAttribute>() is not null,
                $"{m.Path} must carry exactly one of [Authorize] and [AllowAnonymous]");
        });
    }
}
