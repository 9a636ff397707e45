using System.CommandLine;

namespace Credentials.Cli.Hosting;

/// <summary>The options every command takes (recursive on the root command).</summary>
internal sealed class GlobalOptions
{
    public const string DefaultServer = "http://127.0.0.1:50051";
    public const string ServerVariable = "CREDENTIALS_URL";
    public const string TokenVariable = "CREDENTIALS_TOKEN";

    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"The service's address, http://host:port or https://host:port (default: ${ServerVariable}, else {DefaultServer})",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Bearer token: crd_... of a principal, or a holder's JWT for 'me' and 'share' (default: ${TokenVariable}; verification needs none)",
        Recursive = true,
    };

    public Option<FileInfo?> Ca { get; } = new("--ca")
    {
        Description = "PEM file of the CA(s) to trust for the server's TLS certificate, instead of the system store",
        Recursive = true,
    };

    public Option<FileInfo?> Certificate { get; } = new("--cert")
    {
        Description = "PEM file of the client certificate to present (mutual TLS), for a token bound to it; its chain may follow it",
        Recursive = true,
    };

    public Option<FileInfo?> Key { get; } = new("--key")
    {
        Description = "PEM file of the --cert certificate's private key (default: read from the --cert file)",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one JSON document on standard output (errors too, as {\"error\": ...})",
        Recursive = true,
    };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for each call",
        DefaultValueFactory = _ => 30,
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Server);
        root.Options.Add(Token);
        root.Options.Add(Ca);
        root.Options.Add(Certificate);
        root.Options.Add(Key);
        root.Options.Add(Json);
        root.Options.Add(Timeout);
    }
}
