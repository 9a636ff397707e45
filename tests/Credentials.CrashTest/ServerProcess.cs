using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Credentials.CrashTest;

/// <summary>The real server (Release build) as a child process on 127.0.0.1 with a free port.</summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private ServerProcess(Process process) => _process = process;

    public string Address { get; private set; } = "";

    /// <summary>The first authority's token when the store was new (printed once), else null.</summary>
    public string? AuthorityToken { get; private set; }

    public int Id => _process.Id;

    public static async Task<ServerProcess> StartAsync(string serverDll, string dataDir)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { serverDll, "--urls", "http://127.0.0.1:0", "--data-dir", dataDir })
        {
            start.ArgumentList.Add(argument);
        }
        var server = new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        server._process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var exited = server._process.WaitForExitAsync();
        var first = await Task.WhenAny(server._address.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != server._address.Task)
        {
            server.Kill();
            throw new InvalidOperationException("The server did not start:\n" + server.Output());
        }
        server.Address = await server._address.Task;
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            // Never keep a token in what may be printed.
            _output.Add(TokenPattern().Replace(line, "crd_<redacted>"));
        }
        if (AuthorityToken is null && TokenPattern().Match(line) is { Success: true } token)
        {
            AuthorityToken = token.Value;
        }
        if (ListeningPattern().Match(line) is { Success: true } listening)
        {
            _address.TrySetResult(listening.Groups[1].Value);
        }
    }

    public string Output()
    {
        lock (_output)
        {
            // The log's error entries and exception messages, not their stack frames.
            return string.Join('\n', _output.Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)
                && !l.Contains("End of stack trace", StringComparison.Ordinal)).TakeLast(60));
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, nothing the server can do about it.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    [GeneratedRegex(@"crd_[A-Za-z0-9]+")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningPattern();
}
