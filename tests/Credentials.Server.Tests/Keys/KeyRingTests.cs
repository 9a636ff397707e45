using Credentials.Server.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace Credentials.Server.Tests.Keys;

public sealed class KeyRingTests
{
    [Fact]
    public async Task Active_ManyConcurrentFirstUses_OneKeyThatStillSigns()
    {
        await using var server = await TestServer.StartAsync();
        // A ring that has not loaded yet, as after a restart under load.
        var rings = Enumerable.Range(0, 20).Select(_ => ActivatorUtilities.CreateInstance<KeyRing>(server.Services)).ToList();

        foreach (var ring in rings)
        {
            var keys = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => ring.Active)));
            var signatures = keys.Select(k => k.Sign("message"u8)).ToList();

            Assert.All(keys, k => Assert.Same(keys[0], k));
            Assert.All(signatures, s => Assert.True(ring.Find(keys[0].KeyId)!.Verify("message"u8, s)));
        }
    }
}
