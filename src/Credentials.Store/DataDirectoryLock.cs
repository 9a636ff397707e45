namespace Credentials.Store;

/// <summary>
/// The running server's claim on its data directory: an exclusive lock on <c>server.lock</c>
/// (flock on Unix), held while the server runs and released by the kernel if it dies. A restore
/// takes the same lock, so it cannot replace the database under a running server, and a second
/// server cannot start on a directory in use. Other admin commands do not take it: they work
/// while the server serves.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "server.lock";

    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, or throws <see cref="IOException"/> saying who holds it.</summary>
    public static DataDirectoryLock Acquire(string dataDir, string purpose)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new DataDirectoryLock(stream);
        }
        catch (IOException e)
        {
            throw new IOException($"{Path.GetFullPath(dataDir)} is in use (a server or a restore holds {FileName}); cannot {purpose}.", e);
        }
    }

    /// <summary>Whether some process holds the lock now.</summary>
    public static bool IsHeld(string dataDir)
    {
        if (!File.Exists(Path.Combine(dataDir, FileName)))
        {
            return false;
        }
        try
        {
            Acquire(dataDir, "check").Dispose();
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _stream.Dispose();
}
