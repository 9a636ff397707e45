namespace Credentials.Cli.Hosting;

/// <summary>
/// What a run of credctl sees besides its arguments: its streams and environment. Tests run
/// commands in-process with their own, so nothing global (Console, Environment) is read elsewhere.
/// </summary>
/// <param name="Out">Results: text, or one JSON document with --json.</param>
/// <param name="Error">Errors, warnings and the progress bar.</param>
/// <param name="In">Read for "-" arguments.</param>
/// <param name="GetEnvironmentVariable">CREDENTIALS_URL, CREDENTIALS_TOKEN.</param>
/// <param name="ErrorIsTerminal">Whether the progress bar may redraw its line.</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, Func<string, string?> GetEnvironmentVariable, bool ErrorIsTerminal)
{
    public static CliConsole System => new(Console.Out, Console.Error, Console.In, Environment.GetEnvironmentVariable, !Console.IsErrorRedirected);

    /// <summary>The raw bytes of standard input (an envelope file piped in).</summary>
    public Func<Stream> OpenStandardInput { get; init; } = Console.OpenStandardInput;
}
