using Credentials.Core.Principals;
using Credentials.Server.Admin;
using Credentials.Store;
using Credentials.Testing;

namespace Credentials.Server.Tests.Admin;

/// <summary>
/// <c>credentials-server</c> with no command: the real service on 127.0.0.1 with a free port,
/// through the whole command line. Its first start initialises a new data directory and prints the
/// authority token once; a later start prints none.
/// </summary>
public sealed class ServiceRunTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DataDir => Path.Combine(_directory.Path, "data");

    public void Dispose() => _directory.Dispose();

    /// <summary>Starts the service, waits until it listens, stops it; returns the exit code and what it printed.</summary>
    private async Task<(int Code, string Output)> StartAndStopAsync()
    {
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = ServerCommandLine.RunAsync(["--urls", "http://127.0.0.1:0", "--data-dir", DataDir, "--Logging:LogLevel:Default=Warning"],
            output, TextWriter.Null, (settings, o, e, token) => ServiceRun.RunAsync(settings, o, e, token, started: _ => listening.SetResult()),
            stop.Token);
        await Task.WhenAny(listening.Task, run).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(listening.Task.IsCompleted, $"The service did not start: {output}");
        await stop.CancelAsync();
        return (await run.WaitAsync(TimeSpan.FromSeconds(60)), output.ToString());
    }

    private static string[] Tokens(string output) =>
        output.Split('\n').Select(l => l.Trim()).Where(AccessToken.IsWellFormed).ToArray();

    [Fact]
    public async Task FirstStart_NewDataDirectory_InitialisesItAndPrintsTheTokenOnce()
    {
        var first = await StartAndStopAsync();
        var second = await StartAndStopAsync();

        Assert.Equal(ServerExitCodes.Ok, first.Code);
        Assert.True(File.Exists(Path.Combine(DataDir, Database.FileName)));
        Assert.Contains($"Initialised a new store in {DataDir}", first.Output, StringComparison.Ordinal);
        Assert.Single(Tokens(first.Output));
        Assert.Equal(ServerExitCodes.Ok, second.Code);
        Assert.Empty(Tokens(second.Output));
    }

    [Fact]
    public async Task Start_DataDirectoryInUse_FailsWithTheReason()
    {
        await using var running = await TestServer.StartOnAsync(DataDir);
        var error = new StringWriter();

        var code = await ServerCommandLine.RunAsync(["--urls", "http://127.0.0.1:0", "--data-dir", DataDir], TextWriter.Null, error);

        Assert.Equal(ServerExitCodes.Failed, code);
        Assert.Contains("the service could not start", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("in use", error.ToString(), StringComparison.Ordinal);
    }
}
