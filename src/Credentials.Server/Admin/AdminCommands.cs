using System.CommandLine;
using System.Globalization;
using Credentials.Core.Committees;
using Credentials.Core.Policy;
using Credentials.Core.Principals;
using Credentials.Core.Validation;
using Credentials.Server.Committees;
using Credentials.Server.Keys;
using Credentials.Server.Ledger;
using Credentials.Store;
using Credentials.Store.Backup;
using Credentials.Store.Committees;
using Credentials.Store.Keys;
using Credentials.Store.Principals;
using Credentials.Store.Writing;

namespace Credentials.Server.Admin;

/// <summary>
/// The administration commands of <c>credentials-server</c>. They work on the data directory
/// directly, whether or not the service is running (SQLite serialises the writes), and only on
/// a store that exists: <c>init</c> (or the service's first start) creates one.
/// </summary>
public static class AdminCommands
{
    /// <summary>Runs a whole <c>credentials-server</c> command line in-process (tests run admin commands this way).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        ServerCommandLine.RunAsync(args, output, error);

    internal static IEnumerable<Command> Create(Handlers handlers) =>
    [
        Init(handlers),
        PrincipalCommands.Create(handlers),
        HolderCommands.Create(handlers),
        Committees(handlers),
        Keys(handlers),
        Ledger(handlers),
        Backup(handlers),
        Restore(handlers),
    ];

    private static Command Init(Handlers handlers)
    {
        var command = new Command("init", "Create the store (database, signing key, ledger log key) and the first authority; print its token once.");
        handlers.Set(command, StoreUse.Creates, context => context.WithStoreAsync(async store =>
        {
            using (var connection = store.Database.OpenReader())
            {
                if (PrincipalRepository.AnyAuthority(connection))
                {
                    return context.Print($"credentials-server: {store.Directory.Root} is initialised already; add principals with 'principals add'.",
                        ServerExitCodes.Failed);
                }
            }
            var console = new StringWriter();
            await Hosting.Startup.InitializeAsync(store.Services, console);
            return context.Print(console.ToString().Trim());
        }));
        return command;
    }

    private static Command Committees(Handlers handlers)
    {
        var file = new Argument<string?>("csv")
        {
            Description = "The committees file (default: the 30 committees of Dalian's 2024 notice, samples/dalian-2024-committees.csv)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var region = new Option<string>("--region") { Description = "The region the committees belong to", DefaultValueFactory = _ => "大连市" };
        var (defaultFrom, defaultUntil) = CommitteeCsv.DefaultWindow;
        var from = DateOption("--from", $"First day of the accreditation (default {defaultFrom:yyyy-MM-dd})");
        var until = DateOption("--until", $"Last day of the accreditation (default {defaultUntil:yyyy-MM-dd})");
        var seed = new Command("seed", "Accredit the review committees of a CSV file; committees that exist already are left as they are.")
        {
            file, region, from, until,
        };
        handlers.Set(seed, StoreUse.Existing, context => context.WithStoreAsync(async store =>
        {
            var path = context.Get(file) ?? Path.Combine(AppContext.BaseDirectory, "samples", "dalian-2024-committees.csv");
            var committees = CommitteeCsv.Parse(await File.ReadAllTextAsync(path), context.Get(region)!,
                context.Get(from) ?? defaultFrom, context.Get(until) ?? defaultUntil, DateTimeOffset.UtcNow);
            var violations = new Violations();
            for (var i = 0; i < committees.Count; i++)
            {
                CommitteeRules.Validate(committees[i], violations, $"line {i + 2}: ");
            }
            violations.ThrowIfAny();
            var maxYears = store.Get<PolicyProfile>().AccreditationMaxYears;
            foreach (var committee in committees)
            {
                AccreditationRules.CheckValidity(committee.Code, committee.AccreditedFrom, committee.AccreditedUntil, maxYears);
            }
            var added = await store.Writer.ExecuteAsync(context.By, tx =>
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
            return context.Print($"Seeded {added} committees from {path} ({committees.Count - added} existed already).");
        }));
        return new Command("committees", "Review committees (评审委员会)") { seed };
    }

    private static Command Keys(Handlers handlers)
    {
        var list = new Command("list", "List every signing key: algorithm, validity, compromise.");
        handlers.Set(list, StoreUse.Existing, context => context.WithStoreAsync(store =>
        {
            using var connection = store.Database.OpenReader();
            context.Output.WriteLine($"{"KEY ID",-26} {"ALGORITHM",-18} {"VALID FROM",-20} {"VALID UNTIL",-20} COMPROMISED AT");
            foreach (var key in SigningKeyRepository.List(connection))
            {
                context.Output.WriteLine($"{key.KeyId,-26} {key.Algorithm,-18} {Time(key.ValidFrom),-20} {Time(key.ValidUntil),-20} {Time(key.CompromisedAt)}");
            }
            return Task.FromResult(ServerExitCodes.Ok);
        }));

        var algorithm = new Option<string?>("--algorithm") { Description = "SM2-SM3, ECDSA-P256-SHA256 or Ed25519 (default: Keys:Algorithm, SM2-SM3)" };
        var rotate = new Command("rotate", "Make a new active signing key; the old one stays for verifying what it signed.") { algorithm };
        handlers.Set(rotate, StoreUse.Existing, context => context.WithStoreAsync(async store =>
            context.Print($"New active key {await store.Get<KeyManagement>().RotateAsync(context.Get(algorithm), context.By)}.")));

        var keyId = new Argument<string>("key-id") { Description = "The key, as 'keys list' shows it" };
        var reason = new Option<string>("--reason") { Description = "Why the key is compromised", Required = true };
        var at = new Option<DateTimeOffset?>("--at")
        {
            Description = "Since when, e.g. 2024-12-01T00:00:00Z (UTC when no offset is given; default: now)",
            CustomParser = result => ParseTime(result.Tokens[0].Value) ?? Invalid<DateTimeOffset>(result, "--at", "a time like 2024-12-01T00:00:00Z"),
        };
        var compromise = new Command("compromise", "Mark a key compromised from a time; an active key is replaced by a new one.")
        {
            keyId, reason, at,
        };
        handlers.Set(compromise, StoreUse.Existing, context => context.WithStoreAsync(async store =>
        {
            var since = context.Get(at) ?? DateTimeOffset.UtcNow;
            await store.Get<KeyManagement>().CompromiseAsync(context.Get(keyId), since, context.Get(reason)!, context.By);
            return context.Print($"Marked {context.Get(keyId)} compromised from {since:O}.");
        }));
        return new Command("keys", "The certificate signing keys") { list, rotate, compromise };
    }

    private static Command Ledger(Handlers handlers)
    {
        var key = new Command("key", "Print the log's verifier key (publish it to the platforms; credentials-sync --log-key pins it).");
        handlers.Set(key, StoreUse.Existing, context => context.WithStoreAsync(store => Task.FromResult(context.Print(store.Get<LogKey>().VerifierKey))));
        var checkpoint = new Command("checkpoint", "Print the signed checkpoint of the ledger's current tree.");
        handlers.Set(checkpoint, StoreUse.Existing, context => context.WithStoreAsync(async store =>
            context.Print(LogCheckpoints.NoteText(await store.Get<LogCheckpoints>().CurrentAsync(CancellationToken.None)).TrimEnd('\n'))));
        return new Command("ledger", "The transparency log of every change") { key, checkpoint };
    }

    private static Command Backup(Handlers handlers)
    {
        var file = new Argument<string>("file") { Description = "Where to write the copy (owner-only)" };
        var force = new Option<bool>("--force") { Description = "Replace an existing file" };
        var command = new Command("backup", "Copy the database while the service serves, and verify the copy (keys/ and secrets/ are not in it).")
        {
            file, force,
        };
        handlers.Set(command, StoreUse.Existing, context =>
        {
            var directory = context.DataDir;
            // Database.Open brings an older store up to date, as the server would; it never blocks the server.
            var summary = StoreBackup.Backup(Database.Open(directory), context.Get(file), context.Get(force));
            return Task.FromResult(context.Print($"Backed up {directory} to {context.Get(file)}: {summary}.\n" +
                $"The keys ({Path.Combine(directory, "keys")}) and secrets ({Path.Combine(directory, "secrets")}) are not in it: keep a copy of them apart."));
        });
        return command;
    }

    private static Command Restore(Handlers handlers)
    {
        var file = new Argument<string>("file") { Description = "A file written by 'backup'" };
        var force = new Option<bool>("--force") { Description = "Replace an existing store (and everything written since the backup)" };
        var command = new Command("restore", "Put a verified backup in place of the store, or into a new data directory (service stopped).")
        {
            file, force,
        };
        // A new directory is allowed: restoring onto a new machine is what a backup is for.
        handlers.Set(command, StoreUse.Creates, context =>
        {
            var directory = context.DataDir;
            var summary = StoreBackup.Restore(context.Get(file), directory, context.Get(force));
            var warning = File.Exists(Path.Combine(directory, "secrets", "holder-hmac.key"))
                ? ""
                : $"\nWarning: {Path.Combine(directory, "secrets")} has no holder key: put back the secrets/ and keys/ of the backed-up store before starting.";
            return Task.FromResult(context.Print($"Restored {context.Get(file)} into {directory}: {summary}.{warning}"));
        });
        return command;
    }

    internal static Option<DateOnly?> DateOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "yyyy-MM-dd",
        CustomParser = result => DateOnly.TryParseExact(result.Tokens[0].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : Invalid<DateOnly>(result, name, "a date yyyy-MM-dd"),
    };

    private static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static T? Invalid<T>(System.CommandLine.Parsing.ArgumentResult result, string name, string expected) where T : struct
    {
        result.AddError($"{name} must be {expected}, not '{result.Tokens[0].Value}'.");
        return null;
    }

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
}
