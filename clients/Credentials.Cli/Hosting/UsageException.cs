namespace Credentials.Cli.Hosting;

/// <summary>A wrong command line or input file, found before anything was sent: exit code 1.</summary>
public sealed class UsageException(string message) : Exception(message);
