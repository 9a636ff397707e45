using Credentials.Testing;

namespace Credentials.Sync.Tests;

/// <summary>credentials-sync's command line: help, usage errors (exit 2) and an unreachable server (exit 1), each before any mirror is written.</summary>
public sealed class SyncCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string MirrorPath => Path.Combine(_directory.Path, "mirror.db");

    public void Dispose() => _directory.Dispose();

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SyncCommand.RunAsync(args, "crd_test", output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Run_Help_PrintsUsageAndSyncsNothing()
    {
        var (code, output, _) = await RunAsync("--help", "--server", "http://127.0.0.1:1", "--mirror", MirrorPath);

        Assert.Equal(SyncCommand.Synced, code);
        Assert.Contains("--log-key", output, StringComparison.Ordinal);
        Assert.Contains("3 VERIFICATION FAILED", output, StringComparison.Ordinal);
        Assert.False(File.Exists(MirrorPath));
    }

    [Theory]
    [InlineData("--mirror", "mirror.db")]
    [InlineData("--server", "http://127.0.0.1:1")]
    [InlineData("--server", "not a url", "--mirror", "mirror.db")]
    [InlineData("--server", "ftp://127.0.0.1:1", "--mirror", "mirror.db")]
    [InlineData("--server", "http://127.0.0.1:1", "--mirror", "mirror.db", "--frobnicate")]
    public async Task Run_BadCommandLine_ExitsUsage(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(SyncCommand.BadUsage, code);
        Assert.StartsWith("credentials-sync: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--ca", "needs an https:// server address")]
    [InlineData("--cert", "needs an https:// server address")]
    [InlineData("--key", "--key goes with --cert")]
    public async Task Run_TlsOptionWithoutItsPrerequisite_ExitsUsage(string option, string message)
    {
        var file = Path.Combine(_directory.Path, "some.pem");
        await File.WriteAllTextAsync(file, "");

        var (code, _, error) = await RunAsync("--server", "http://127.0.0.1:1", "--mirror", MirrorPath, option, file);

        Assert.Equal(SyncCommand.BadUsage, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(File.Exists(MirrorPath));
    }

    [Fact]
    public async Task Run_CaFileWithoutCertificate_ExitsUsage()
    {
        var file = Path.Combine(_directory.Path, "empty.pem");
        await File.WriteAllTextAsync(file, "no certificate here\n");

        var (code, _, error) = await RunAsync("--server", "https://127.0.0.1:1", "--mirror", MirrorPath, "--ca", file);

        Assert.Equal(SyncCommand.BadUsage, code);
        Assert.Contains("holds no PEM certificate", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ServerNotListening_NotSyncedAndSaysItCannotReachIt()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, _, error) = await RunAsync("--server", $"http://127.0.0.1:{port}", "--mirror", MirrorPath);

        Assert.Equal(SyncCommand.NotSynced, code);
        Assert.Contains($"cannot reach http://127.0.0.1:{port}/", error, StringComparison.Ordinal);
    }
}
