using System.Security.Cryptography;

namespace Credentials.Store;

/// <summary>
/// The data directory: the database, the private signing keys (keys/) and other secrets
/// (secrets/). Directories are 0700 and secret files 0600 from the moment they are created.
/// </summary>
public sealed class DataDirectory
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const string HolderKeyFile = "holder-hmac.key";

    private DataDirectory(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public string KeysPath => Path.Combine(Root, "keys");

    public string SecretsPath => Path.Combine(Root, "secrets");

    /// <summary>Whether a database exists here already.</summary>
    public bool HasDatabase => File.Exists(Path.Combine(Root, Database.FileName));

    /// <summary>Creates the directories that are missing.</summary>
    public static DataDirectory Prepare(string root)
    {
        var directory = new DataDirectory(root);
        CreatePrivateDirectory(directory.Root);
        CreatePrivateDirectory(directory.KeysPath);
        CreatePrivateDirectory(directory.SecretsPath);
        return directory;
    }

    /// <summary>
    /// The key of the holder lookup digests (HMAC-SHA256), created on first use. Kept outside the
    /// database so that a copy of the database alone does not let anyone test ID numbers.
    /// </summary>
    public byte[] LoadOrCreateHolderKey()
    {
        var path = Path.Combine(SecretsPath, HolderKeyFile);
        if (!File.Exists(path))
        {
            WriteSecretFile(path, RandomNumberGenerator.GetBytes(32));
        }
        var key = File.ReadAllBytes(path);
        return key.Length == 32 ? key : throw new InvalidDataException($"{path} must hold 32 bytes.");
    }

    /// <summary>Writes a new file readable by the owner only; never replaces an existing one.</summary>
    public static void WriteSecretFile(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }
        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }
}
