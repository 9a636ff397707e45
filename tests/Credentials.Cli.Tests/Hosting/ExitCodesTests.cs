using Credentials.Cli.Hosting;
using Grpc.Core;

namespace Credentials.Cli.Tests.Hosting;

public sealed class ExitCodesTests
{
    [Theory]
    [InlineData(StatusCode.OK, ExitCodes.Ok)]
    [InlineData(StatusCode.NotFound, ExitCodes.NotValid)]
    [InlineData(StatusCode.InvalidArgument, ExitCodes.Refused)]
    [InlineData(StatusCode.FailedPrecondition, ExitCodes.Refused)]
    [InlineData(StatusCode.PermissionDenied, ExitCodes.Refused)]
    [InlineData(StatusCode.Unauthenticated, ExitCodes.Refused)]
    [InlineData(StatusCode.AlreadyExists, ExitCodes.Refused)]
    [InlineData(StatusCode.OutOfRange, ExitCodes.Refused)]
    [InlineData(StatusCode.Unavailable, ExitCodes.ServerError)]
    [InlineData(StatusCode.DeadlineExceeded, ExitCodes.ServerError)]
    [InlineData(StatusCode.ResourceExhausted, ExitCodes.ServerError)]
    [InlineData(StatusCode.Internal, ExitCodes.ServerError)]
    [InlineData(StatusCode.Unknown, ExitCodes.ServerError)]
    [InlineData(StatusCode.Unimplemented, ExitCodes.ServerError)]
    [InlineData(StatusCode.Cancelled, ExitCodes.ServerError)]
    public void ForStatus_EachCode_MapsToDocumentedExitCode(StatusCode code, int expected) =>
        Assert.Equal(expected, ExitCodes.ForStatus(code));

    [Fact]
    public async Task Help_Root_ListsEveryExitCode()
    {
        var run = await CliRun.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var line in new[] { "0  ok", "1  usage error", "2  checked and not valid", "3  server or transport error", "4  refused" })
        {
            Assert.Contains(line, run.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_UnknownOption_ExitsUsage()
    {
        var run = await CliRun.RunAsync("verify", "DL-S01-2024-000001X", "--name", "张伟", "--frobnicate");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    [Fact]
    public async Task Run_MissingRequiredOption_ExitsUsage()
    {
        var run = await CliRun.RunAsync("verify", "DL-S01-2024-000001X");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--name", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ServerNotListening_ExitsServerErrorWithJsonError()
    {
        var port = ClosedPort();

        var run = await CliRun.RunAsync("verify", "DL-S01-2024-000001X", "--name", "张伟", "--server", $"http://127.0.0.1:{port}", "--json", "--timeout", "5");

        Assert.Equal(ExitCodes.ServerError, run.ExitCode);
        Assert.Equal("UNAVAILABLE", (string?)run.Json["error"]!["code"]);
        Assert.Equal(ExitCodes.ServerError, (int?)run.Json["error"]!["exitCode"]);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:1")]
    [InlineData("http://127.0.0.1:1/path")]
    [InlineData("not a url")]
    public async Task Run_BadServerAddress_ExitsUsage(string server)
    {
        var run = await CliRun.RunAsync("verify", "DL-S01-2024-000001X", "--name", "张伟", "--server", server);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--server", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CaWithCleartextServer_ExitsUsage()
    {
        using var files = new Testing.TempDirectory();
        var ca = Path.Combine(files.Path, "ca.pem");
        await File.WriteAllTextAsync(ca, "not a certificate");

        var run = await CliRun.RunAsync("list", "--server", "http://127.0.0.1:1", "--ca", ca);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--ca", run.Error, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
