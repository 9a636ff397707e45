using Credentials.Core.Signing;
using Credentials.Store;
using Credentials.Store.Keys;

namespace Credentials.Server.Keys;

/// <summary>The data directory's private key files (keys/), encrypted when a passphrase is configured.</summary>
public sealed class KeyFiles(DataDirectory directory, KeysOptions options)
{
    private readonly KeyFileStore _store = new(directory.KeysPath);

    public void Save(SigningKey key) => _store.Save(key, Passphrase);

    public SigningKey Load(string keyId) => _store.Load(keyId, Passphrase);

    private string? Passphrase => string.IsNullOrEmpty(options.Passphrase) ? null : options.Passphrase;
}
