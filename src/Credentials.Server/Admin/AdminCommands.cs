using Credentials.Core.Committees;
using Credentials.Core.Principals;
using Credentials.Core.Time;
using Credentials.Core.Validation;
using Credentials.Server.Committees;
using Credentials.Server.Hosting;
using Credentials.Server.Keys;
using Credentials.Server.Ledger;
using Credentials.Store;
using Credentials.Store.Audit;
using Credentials.Store.Backup;
using Credentials.Store.Committees;
using Credentials.Store.Keys;
using Credentials.Store.Principals;
using Credentials.Store.Writing;

namespace Credentials.Server.Admin;

/// <summary>
/// The administration commands of <c>credentials-server</c>. They work on the data directory
/// directly, whether or not the service is running (SQLite serialises the writes).
/// Exit codes: 0 done, 1 refused (the message says why), 2 wrong usage.
/// </summary>
public static class AdminCommands
{
    public const string Usage = """
        usage: credentials-server [--urls URL] [--data-dir DIR]        run the service
               credentials-server init [--data-dir DIR]                 create the store and the first authority token
               credentials-server principals add NAME --role ROLE [--committee CODE] [--certificate CERT]
               credentials-server principals list
               credentials-server principals revoke NAME
               credentials-server principals bind-certificate NAME CERT
               credentials-server principals unbind-certificate NAME
               credentials-server committees seed [CSV] [--region NAME] [--from DATE] [--until DATE]
               credentials-server keys list
               credentials-server keys rotate [--algorithm SM2-SM3|ECDSA-P256-SHA256|Ed25519]
               credentials-server keys compromise KEY_ID --reason TEXT [--at 2024-12-01T00:00:00Z]
               credentials-server ledger key                            print the log's verifier key (publish it to platforms)
               credentials-server ledger checkpoint                     print the signed checkpoint of the current tree
               credentials-server backup FILE [--force]                 copy the store (online, while serving) and verify the copy
               credentials-server restore FILE [--force]                replace the store with a verified backup (server stopped)
               credentials-server help
        ROLE is authority, committee, employer or platform. CERT is a PEM client certificate file or
        its SHA-256 fingerprint (64 hex digits); a bound principal's token works only over TLS
        presenting that certificate. Every command takes --data-dir.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var arguments = Arguments.Parse(args);
        var by = AuditEntry.Local(Environment.UserName is { Length: > 0 } user ? $"admin:{user}" : "admin",
            "credentials-server " + string.Join(' ', arguments.Positional));
        try
        {
            return arguments.Positional switch
            {
                ["help"] or ["--help"] => Print(output, Usage, 0),
                ["init"] => await InitAsync(arguments, output, error),
                ["principals", "add", var name] => await WithStoreAsync(arguments, s => AddPrincipalAsync(s, arguments, name, by, output)),
                ["keys", "list"] => await WithStoreAsync(arguments, s => ListKeys(s, output)),
                ["keys", "rotate"] => await WithStoreAsync(arguments, async s =>
                    Print(output, $"New active key {await s.Get<KeyManagement>().RotateAsync(arguments.Get("algorithm"), by)}.", 0)),
                ["keys", "compromise", var keyId] => await WithStoreAsync(arguments, async s =>
                {
                    var at = arguments.Get("at") is { } text
                        ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
                        : DateTimeOffset.UtcNow;
                    await s.Get<KeyManagement>().CompromiseAsync(keyId, at, arguments.Get("reason") ?? "", by);
                    return Print(output, $"Marked {keyId} compromised from {at:O}.", 0);
                }),
                ["ledger", "key"] => await WithStoreAsync(arguments, s => Task.FromResult(Print(output, s.Get<LogKey>().VerifierKey, 0))),
                ["ledger", "checkpoint"] => await WithStoreAsync(arguments, async s =>
                    Print(output, LogCheckpoints.NoteText(await s.Get<LogCheckpoints>().CurrentAsync(CancellationToken.None)).TrimEnd('\n'), 0)),
                ["principals", "list"] => await WithStoreAsync(arguments, s => ListPrincipals(s, output)),
                ["principals", "revoke", var name] => await WithStoreAsync(arguments, async s =>
                {
                    await s.Get<PrincipalAdmin>().RevokeAsync(name, by);
                    return Print(output, $"Revoked {name}.", 0);
                }),
                ["principals", "bind-certificate", var name, var certificate] => await WithStoreAsync(arguments, async s =>
                {
                    var fingerprint = Security.ClientCertificates.ReadFingerprint(certificate);
                    await s.Get<PrincipalAdmin>().BindCertificateAsync(name, fingerprint, by);
                    return Print(output, $"Bound {name} to the client certificate SHA-256 {Security.ClientCertificates.Hex(fingerprint)}.", 0);
                }),
                ["principals", "unbind-certificate", var name] => await WithStoreAsync(arguments, async s =>
                {
                    await s.Get<PrincipalAdmin>().BindCertificateAsync(name, null, by);
                    return Print(output, $"{name} is bound to no client certificate.", 0);
                }),
                ["backup", var file] => Backup(arguments, file, output),
                ["restore", var file] => Restore(arguments, file, output),
                ["committees", "seed", .. var file] when file.Length <= 1 =>
                    await WithStoreAsync(arguments, s => SeedCommitteesAsync(s, arguments, file.Length == 1 ? file[0] : null, by, output)),
                _ => Print(error, Usage, 2),
            };
        }
        catch (DomainException e)
        {
            return Print(error, e.Message, 1);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or StoreUnavailableException or InvalidDataException)
        {
            return Print(error, e.Message, 1);
        }
    }

    private static async Task<int> InitAsync(Arguments arguments, TextWriter output, TextWriter error) =>
        await WithStoreAsync(arguments, async store =>
        {
            using (var connection = store.Database.OpenReader())
            {
                if (PrincipalRepository.AnyAuthority(connection))
                {
                    return Print(error, $"{store.Directory.Root} is initialised already; add principals with 'principals add'.", 1);
                }
            }
            var console = new StringWriter();
            await Startup.InitializeAsync(store.Services, console);
            return Print(output, console.ToString().Trim(), 0);
        });

    private static async Task<int> AddPrincipalAsync(AdminStore store, Arguments arguments, string name, AuditEntry by, TextWriter output)
    {
        if (!RoleNames.TryParse(arguments.Get("role"), out var role))
        {
            throw new InvalidRequestException("role", "must be authority, committee, employer or platform");
        }
        var committee = arguments.Get("committee") is { } code ? CommitteeCode.Normalize(code) : null;
        var certificate = arguments.Get("certificate") is { } cert ? Security.ClientCertificates.ReadFingerprint(cert) : null;
        var (principal, token) = await store.Get<PrincipalAdmin>().AddAsync(name, role, committee, by, certificate);
        var scope = principal.CommitteeCode is null ? "" : $" for committee {principal.CommitteeCode}";
        var bound = certificate is null ? "" : $", bound to the client certificate SHA-256 {Security.ClientCertificates.Hex(certificate)}";
        return Print(output, $"Added {principal.Name} ({principal.Role.ToName()}{scope}{bound}).\nToken (shown once):\n\n    {token}\n", 0);
    }

    private static Task<int> ListPrincipals(AdminStore store, TextWriter output)
    {
        using var connection = store.Database.OpenReader();
        output.WriteLine($"{"NAME",-24} {"ROLE",-10} {"COMMITTEE",-12} {"TOKEN",-10} {"CERTIFICATE",-16} {"CREATED",-20} STATE");
        foreach (var p in PrincipalRepository.List(connection))
        {
            output.WriteLine($"{p.Name,-24} {p.Role.ToName(),-10} {p.CommitteeCode ?? "-",-12} {p.TokenHint,-10} " +
                $"{Security.ClientCertificates.Short(p.CertificateSha256),-16} " +
                $"{p.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {(p.IsRevoked ? "revoked" : "active")}");
        }
        return Task.FromResult(0);
    }

    private static Task<int> ListKeys(AdminStore store, TextWriter output)
    {
        using var connection = store.Database.OpenReader();
        output.WriteLine($"{"KEY ID",-26} {"ALGORITHM",-18} {"VALID FROM",-20} {"VALID UNTIL",-20} COMPROMISED AT");
        foreach (var key in SigningKeyRepository.List(connection))
        {
            output.WriteLine($"{key.KeyId,-26} {key.Algorithm,-18} {key.ValidFrom.UtcDateTime:yyyy-MM-dd HH:mm:ss}  " +
                $"{(key.ValidUntil is { } until ? until.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "-"),-20} " +
                $"{(key.CompromisedAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "-")}");
        }
        return Task.FromResult(0);
    }

    private static async Task<int> SeedCommitteesAsync(AdminStore store, Arguments arguments, string? file, AuditEntry by, TextWriter output)
    {
        var path = file ?? Path.Combine(AppContext.BaseDirectory, "samples", "dalian-2024-committees.csv");
        var (defaultFrom, defaultUntil) = CommitteeCsv.DefaultWindow;
        var from = arguments.Get("from") is { } f ? Dates.FromIso(f) : defaultFrom;
        var until = arguments.Get("until") is { } u ? Dates.FromIso(u) : defaultUntil;
        var committees = CommitteeCsv.Parse(await File.ReadAllTextAsync(path), arguments.Get("region") ?? "大连市", from, until, DateTimeOffset.UtcNow);
        var violations = new Violations();
        for (var i = 0; i < committees.Count; i++)
        {
            CommitteeRules.Validate(committees[i], violations, $"line {i + 2}: ");
        }
        violations.ThrowIfAny();
        var added = await store.Writer.ExecuteAsync(by, tx =>
        {
            var count = 0;
            foreach (var committee in committees)
            {
                if (CommitteeRepository.Get(tx.Connection, committee.Code, tx.Transaction) is null)
                {
                    CommitteeAccreditation.Accredit(tx, committee, "admin");
                    count++;
                }
            }
            return count;
        });
        return Print(output, $"Seeded {added} committees from {path} ({committees.Count - added} existed already).", 0);
    }

    private static int Backup(Arguments arguments, string file, TextWriter output)
    {
        var (options, _) = ServerHost.LoadSettings(arguments.Options);
        var directory = Path.GetFullPath(options.DataDir);
        if (!File.Exists(Path.Combine(directory, Database.FileName)))
        {
            throw new IOException($"{directory} holds no store to back up.");
        }
        // Database.Open brings an older store up to date, as the server would; it never blocks the server.
        var summary = StoreBackup.Backup(Database.Open(directory), file, arguments.Has("force"));
        return Print(output, $"Backed up {directory} to {file}: {summary}.\n" +
            $"The keys ({Path.Combine(directory, "keys")}) and secrets ({Path.Combine(directory, "secrets")}) are not in it: keep a copy of them apart.", 0);
    }

    private static int Restore(Arguments arguments, string file, TextWriter output)
    {
        var (options, _) = ServerHost.LoadSettings(arguments.Options);
        var directory = Path.GetFullPath(options.DataDir);
        var summary = StoreBackup.Restore(file, directory, arguments.Has("force"));
        var warning = File.Exists(Path.Combine(directory, "secrets", "holder-hmac.key"))
            ? ""
            : $"\nWarning: {Path.Combine(directory, "secrets")} has no holder key: put back the secrets/ and keys/ of the backed-up store before starting.";
        return Print(output, $"Restored {file} into {directory}: {summary}.{warning}", 0);
    }

    /// <summary>Runs a command with the same services the server uses, on the configured data directory.</summary>
    private static async Task<int> WithStoreAsync(Arguments arguments, Func<AdminStore, Task<int>> command)
    {
        var (options, configuration) = ServerHost.LoadSettings(arguments.Options);
        var services = new ServiceCollection().AddLogging().AddCredentialsServices(options, configuration);
        await using var provider = services.BuildServiceProvider();
        var store = new AdminStore(provider);
        return await command(store);
    }

    private static int Print(TextWriter writer, string text, int code)
    {
        writer.WriteLine(text);
        return code;
    }

    private sealed record AdminStore(IServiceProvider Services)
    {
        public DataDirectory Directory => Services.GetRequiredService<DataDirectory>();

        public Database Database => Services.GetRequiredService<Database>();

        public StoreWriter Writer => Services.GetRequiredService<StoreWriter>();

        public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
    }

    /// <summary>Positional words, and --name value / --name=value options (kept for the configuration too).</summary>
    private sealed record Arguments(string[] Positional, string[] Options, Dictionary<string, string> Named)
    {
        public string? Get(string name) => Named.GetValueOrDefault(name);

        /// <summary>Whether a flag was given (--force, or --force=true).</summary>
        public bool Has(string name) => Named.TryGetValue(name, out var value) && value is "" or "true";

        /// <summary>Options that take no value.</summary>
        private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "force" };

        public static Arguments Parse(string[] args)
        {
            var positional = new List<string>();
            var options = new List<string>();
            var named = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    positional.Add(args[i]);
                    continue;
                }
                var (key, value) = args[i].Contains('=', StringComparison.Ordinal)
                    ? (args[i][2..args[i].IndexOf('=', StringComparison.Ordinal)], args[i][(args[i].IndexOf('=', StringComparison.Ordinal) + 1)..])
                    : Flags.Contains(args[i][2..]) ? (args[i][2..], "") : (args[i][2..], i + 1 < args.Length ? args[++i] : "");
                named[key] = value;
                options.Add($"--{key}={value}");
            }
            return new Arguments(positional.ToArray(), options.ToArray(), named);
        }
    }
}
