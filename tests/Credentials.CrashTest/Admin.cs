using System.Diagnostics;

namespace Credentials.CrashTest;

/// <summary>Admin commands of the server binary, run as the operator would.</summary>
internal static class Admin
{
    public static async Task<string> RunAsync(string serverDll, string dataDir, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[serverDll, .. args, "--data-dir", dataDir])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{string.Join(' ', args)} failed: {error}");
    }

    public static string TokenIn(string output) =>
        output.Split(' ', '\n').Select(w => w.Trim()).FirstOrDefault(w => w.StartsWith("crd_", StringComparison.Ordinal))
        ?? throw new InvalidOperationException("No token in the output of principals add.");
}
