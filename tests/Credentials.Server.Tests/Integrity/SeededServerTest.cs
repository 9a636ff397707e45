using Credentials.Core.Principals;

namespace Credentials.Server.Tests.Integrity;

/// <summary>Each test gets a fresh server with the Dalian committees and a token of committee DL-S01.</summary>
public abstract class SeededServerTest : IAsyncLifetime
{
    protected TestServer Server { get; private set; } = null!;

    /// <summary>The token of committee DL-S01 ("dl-s01").</summary>
    protected string Committee { get; private set; } = "";

    public virtual async Task InitializeAsync()
    {
        Server = await StartServerAsync();
        await Server.SeedDalianCommitteesAsync();
        Committee = await Server.AddPrincipalAsync("dl-s01", Role.Committee, "DL-S01");
    }

    protected virtual Task<TestServer> StartServerAsync() => TestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
