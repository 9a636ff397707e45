using System.Collections.Concurrent;
using Credentials.Core.Principals;
using Credentials.Store;
using Credentials.Store.Principals;

namespace Credentials.Server.Security;

/// <summary>
/// The principals of bearer tokens, looked up by the token's SHA-256 and kept for at most
/// <see cref="Lifetime"/> on the injected clock, so a busy caller costs one query a second instead
/// of one per call. A revocation or a certificate binding made in another process (an admin command
/// on the data directory) takes effect within that second; one made through this process's
/// <see cref="Admin.PrincipalAdmin"/> clears the cache at once. Only tokens the store knows are kept,
/// so the cache holds at most one entry per issued token, whatever callers send.
/// </summary>
public sealed class TokenCache(Database database, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>The principal whose token hashes to <paramref name="tokenHash"/>, revoked or not; null when there is none.</summary>
    public Principal? Find(byte[] tokenHash)
    {
        var key = Convert.ToBase64String(tokenHash);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var cached) && now < cached.Until)
        {
            return cached.Principal;
        }
        // Read before the lookup: a Clear() while it runs must not be undone by a stale answer.
        var generation = Interlocked.Read(ref _generation);
        Principal? principal;
        using (var connection = database.OpenReader())
        {
            principal = PrincipalRepository.FindByTokenHash(connection, tokenHash);
        }
        if (principal is null)
        {
            _entries.TryRemove(key, out _);
        }
        else if (Interlocked.Read(ref _generation) == generation)
        {
            _entries[key] = new Entry(principal, now + Lifetime);
            if (Interlocked.Read(ref _generation) != generation)
            {
                _entries.TryRemove(key, out _);
            }
        }
        return principal;
    }

    /// <summary>Forgets every cached principal: the next call of each token reads the store.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private sealed record Entry(Principal Principal, DateTimeOffset Until);
}
