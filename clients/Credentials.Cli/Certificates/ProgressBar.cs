namespace Credentials.Cli.Certificates;

/// <summary>
/// Progress of a batch on standard error: a bar redrawn in place on a terminal, a line per
/// step otherwise (logs and CI), so standard output keeps only results.
/// </summary>
internal sealed class ProgressBar(TextWriter error, bool terminal, int total, string unit)
{
    private const int Width = 30;

    public void Report(int done)
    {
        var filled = total == 0 ? Width : (int)((long)done * Width / total);
        var percent = total == 0 ? 100 : (int)((long)done * 100 / total);
        var text = $"[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} {unit} ({percent}%)";
        if (terminal)
        {
            error.Write("\r" + text + (done >= total ? "\n" : ""));
        }
        else
        {
            error.WriteLine(text);
        }
        error.Flush();
    }

    /// <summary>Ends a bar left unfinished (the batch failed), so the error starts on its own line.</summary>
    public void Abandon()
    {
        if (terminal)
        {
            error.WriteLine();
        }
    }
}
