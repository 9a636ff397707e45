using System.Text;
using Credentials.Core.Ledger;
using Credentials.Store;

namespace Credentials.Server.Ledger;

/// <summary>
/// The Ed25519 key that signs the ledger's checkpoints: created at first start as keys/ledger-log.key (mode
/// 0600, the note signer string "PRIVATE+KEY+name+keyid+seed"), loaded on every later start. Its verifier key
/// is public: GetCheckpoint returns it and `credentials-server ledger key` prints it.
/// </summary>
public sealed class LogKey
{
    public const string FileName = "ledger-log.key";

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly Lazy<NoteSigner> _signer;

    public LogKey(DataDirectory directory, LedgerOptions options)
    {
        Origin = options.Origin;
        Path = System.IO.Path.Combine(directory.KeysPath, FileName);
        var name = options.EffectiveKeyName;
        // Fail at start, not at the first checkpoint, when the settings cannot make a valid checkpoint.
        _ = new Checkpoint(Origin, 0, MerkleHash.EmptyRoot);
        _signer = new Lazy<NoteSigner>(() => LoadOrCreate(Path, name), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The log's origin, the first line of its checkpoints.</summary>
    public string Origin { get; }

    public string Path { get; }

    public NoteSigner Signer => _signer.Value;

    /// <summary>The public key string to publish and pin: "name+hexkeyid+base64(0x01||key)".</summary>
    public string VerifierKey => Signer.Verifier.VerifierKey;

    /// <summary>Creates the key file if there is none (first start).</summary>
    public void EnsureCreated() => _ = Signer;

    private static NoteSigner LoadOrCreate(string path, string name)
    {
        if (!File.Exists(path))
        {
            try
            {
                DataDirectory.WriteSecretFile(path, Encoding.UTF8.GetBytes(NoteSigner.Generate(name).ExportSignerKey() + "\n"));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process (an admin command, a second server) created it first: use theirs.
            }
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new InvalidOperationException($"The ledger log key {path} is readable by others; make it mode 0600.");
        }
        NoteSigner signer;
        try
        {
            signer = NoteSigner.Parse(File.ReadAllText(path).Trim());
        }
        catch (FormatException e)
        {
            // The message never quotes the file: it is the secret.
            throw new InvalidOperationException($"The ledger log key {path} is not a note signer key: {e.Message}", e);
        }
        if (signer.Name != name)
        {
            throw new InvalidOperationException(
                $"The ledger log key {path} is named '{signer.Name}' but the settings (Ledger:KeyName, else Ledger:Origin) say '{name}'. " +
                "The name is part of the published verifier key: restore the setting, or move the key file away to create a new key " +
                "(every platform must then pin the new verifier key).");
        }
        return signer;
    }
}
