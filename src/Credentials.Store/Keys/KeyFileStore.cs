using System.Security;
using Credentials.Core.Signing;

namespace Credentials.Store.Keys;

/// <summary>
/// Private signing keys as PKCS#8 PEM files, one per key, named <c>{key id}.pem</c>, in one
/// directory. Files are created with mode 0600 (the directory 0700) so a key is never readable
/// by others, not even while it is being written; files others can read are refused.
/// </summary>
public sealed class KeyFileStore
{
    private const string Extension = ".pem";
    private const string EncryptedLabel = "-----BEGIN ENCRYPTED PRIVATE KEY-----";

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerReadWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public KeyFileStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = System.IO.Path.GetFullPath(directory);
    }

    /// <summary>The directory holding the key files.</summary>
    public string Directory { get; }

    /// <summary>
    /// Writes the key as <c>{key id}.pem</c>, encrypted when a passphrase is given, and returns
    /// the path. The file appears complete or not at all; an existing key file is never replaced.
    /// </summary>
    /// <exception cref="IOException">A file for this key already exists.</exception>
    public string Save(SigningKey key, string? passphrase = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        CreateDirectory();
        var path = PathOf(key.KeyId);
        if (File.Exists(path))
        {
            throw new IOException($"A key file for {key.KeyId} already exists: {path}");
        }

        var temporary = System.IO.Path.Combine(Directory, $".{key.KeyId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, CreateOptions()))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(key.ExportPrivateKeyPem(passphrase));
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            // Without overwrite, Move refuses an existing target, so a concurrent Save cannot clobber one.
            File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
        return path;
    }

    /// <summary>Reads and decrypts one key, checking that the file holds the key it is named after.</summary>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is not a key id.</exception>
    /// <exception cref="FileNotFoundException">No file for this key.</exception>
    /// <exception cref="SecurityException">The file is readable or writable by group or others.</exception>
    /// <exception cref="FormatException">The file is not a key, or holds another key than its name says.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Wrong passphrase.</exception>
    public SigningKey Load(string keyId, string? passphrase = null)
    {
        var path = PathOf(keyId);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No key file for {keyId} in {Directory}.", path);
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new SecurityException(
                $"The key file {path} is accessible by group or others (mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}); run chmod 600 on it.");
        }
        var key = SigningKey.FromPrivateKeyPem(File.ReadAllText(path), passphrase);
        if (key.KeyId != keyId)
        {
            var actual = key.KeyId;
            key.Dispose();
            throw new FormatException($"The key file {path} holds key {actual}, not {keyId}.");
        }
        return key;
    }

    /// <summary>The key files in the directory, by key id; other files are ignored.</summary>
    public IReadOnlyList<KeyFileEntry> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        var entries = new List<KeyFileEntry>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension))
        {
            var keyId = System.IO.Path.GetFileNameWithoutExtension(path);
            if (KeyIds.TryGetAlgorithm(keyId, out var algorithm))
            {
                var isEncrypted = File.ReadLines(path).FirstOrDefault()?.Trim() == EncryptedLabel;
                entries.Add(new KeyFileEntry(keyId, algorithm, path, isEncrypted));
            }
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.KeyId, b.KeyId));
        return entries;
    }

    private string PathOf(string keyId)
    {
        // The id becomes a file name: only the exact key id shape may pass (no "../").
        if (!KeyIds.TryGetAlgorithm(keyId, out _))
        {
            throw new ArgumentException($"\"{keyId}\" is not a key id.", nameof(keyId));
        }
        return System.IO.Path.Combine(Directory, keyId + Extension);
    }

    private void CreateDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, OwnerOnlyDirectory);
        }
    }

    private static FileStreamOptions CreateOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Passed to open(2), so the file never exists with a wider mode.
            options.UnixCreateMode = OwnerReadWrite;
        }
        return options;
    }
}
