using System.CommandLine;
using Credentials.Server.Hosting;
using Credentials.Store;
using Credentials.Store.Audit;
using Credentials.Store.Writing;

namespace Credentials.Server.Admin;

/// <summary>One run of one admin command: its parsed command line, its settings, where it writes, and the store it works on.</summary>
internal sealed class AdminContext(ParseResult parse, string[] settings, AuditEntry by)
{
    private (ServerOptions Options, IConfiguration Configuration)? _settings;

    public TextWriter Output { get; } = parse.InvocationConfiguration.Output;

    public TextWriter Error { get; } = parse.InvocationConfiguration.Error;

    /// <summary>Who the command's writes are recorded against: the operator, and the command with its arguments.</summary>
    public AuditEntry By { get; } = by;

    /// <summary>The settings the service would run with: appsettings.json, CREDENTIALS_* variables, the command line.</summary>
    public (ServerOptions Options, IConfiguration Configuration) Settings => _settings ??= ServerHost.LoadSettings(settings);

    public string DataDir => Path.GetFullPath(Settings.Options.DataDir);

    public T? Get<T>(Option<T> option) => parse.GetValue(option);

    public T Get<T>(Argument<T> argument) => parse.GetValue(argument)!;

    /// <summary>Why there is no store to work on at the data directory, or null when there is one.</summary>
    public string? MissingStore()
    {
        var directory = DataDir;
        var hint = $"create one with 'credentials-server init --data-dir {directory}' (or start the service on it once), or give the --data-dir of a store.";
        if (!Directory.Exists(directory))
        {
            return $"credentials-server: the data directory {directory} does not exist: {hint}";
        }
        return File.Exists(Path.Combine(directory, Database.FileName))
            ? null
            : $"credentials-server: {directory} holds no store (no {Database.FileName}): {hint}";
    }

    /// <summary>Runs a command with the same services the server uses, on the configured data directory.</summary>
    public async Task<int> WithStoreAsync(Func<AdminStore, Task<int>> command)
    {
        var (options, configuration) = Settings;
        var services = new ServiceCollection().AddLogging().AddCredentialsServices(options, configuration);
        await using var provider = services.BuildServiceProvider();
        return await command(new AdminStore(provider));
    }

    public int Print(string text, int code = ServerExitCodes.Ok)
    {
        (code == ServerExitCodes.Ok ? Output : Error).WriteLine(text);
        return code;
    }
}

/// <summary>The server's services over the data directory, for an admin command.</summary>
internal sealed record AdminStore(IServiceProvider Services)
{
    public DataDirectory Directory => Services.GetRequiredService<DataDirectory>();

    public Database Database => Services.GetRequiredService<Database>();

    public StoreWriter Writer => Services.GetRequiredService<StoreWriter>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
}
