using Credentials.Core.Signing;
using Credentials.Core.Verification;
using Credentials.Store;
using Credentials.Store.Keys;

namespace Credentials.Server.Keys;

/// <summary>
/// Every signing key ever used (public parts, from the database) and the active private key
/// (from its file). Reloaded when a key changes; readers see one consistent snapshot.
/// </summary>
public sealed class KeyRing(Database database, KeyFiles files)
{
    private readonly Lock _reloading = new();
    private volatile Snapshot? _snapshot;

    /// <summary>The key that signs new certificates.</summary>
    public SigningKey Active => Current.Active ?? throw new InvalidOperationException("There is no active signing key; run 'credentials-server init'.");

    /// <summary>Every key, oldest first, as ListSigningKeys publishes them.</summary>
    public IReadOnlyList<SigningKeyRecord> Records => Current.Records;

    /// <summary>The public key with this id, or null.</summary>
    public VerificationKey? Find(string keyId) => FindKnown(keyId)?.Key;

    public SigningKeyRecord? FindRecord(string keyId) => Current.Records.FirstOrDefault(r => r.KeyId == keyId);

    /// <summary>The public key with this id and its history, as verification needs them, or null.</summary>
    public KnownKey? FindKnown(string keyId) => Current.Known.GetValueOrDefault(keyId);

    /// <summary>Reads the keys again (after a rotation or compromise, here or by an admin command).</summary>
    public void Reload()
    {
        // One reload at a time: two concurrent first uses (after a restart, under load) each loaded
        // the key and the second disposed the first's while it was signing (found by tests/crash).
        lock (_reloading)
        {
            ReloadLocked();
        }
    }

    private void ReloadLocked()
    {
        using var connection = database.OpenReader();
        var records = SigningKeyRepository.List(connection);
        var active = records.LastOrDefault(r => r.IsActive) is { } record ? files.Load(record.KeyId) : null;
        var previous = _snapshot;
        var known = records.ToDictionary(r => r.KeyId,
            r => new KnownKey(VerificationKey.FromSubjectPublicKeyInfo(r.PublicKey), r.ValidFrom, r.ValidUntil, r.CompromisedAt));
        _snapshot = new Snapshot(records, known, active);
        if (!ReferenceEquals(previous?.Active, active))
        {
            previous?.Active?.Dispose();
        }
    }

    private Snapshot Current
    {
        get
        {
            if (_snapshot is { } snapshot)
            {
                return snapshot;
            }
            lock (_reloading)
            {
                if (_snapshot is null)
                {
                    ReloadLocked();
                }
            }
            return _snapshot!;
        }
    }

    private sealed record Snapshot(IReadOnlyList<SigningKeyRecord> Records, Dictionary<string, KnownKey> Known, SigningKey? Active);
}
