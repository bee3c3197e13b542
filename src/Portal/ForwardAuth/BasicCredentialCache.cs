using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Portal.ForwardAuth;

/// <summary>
/// Remembers recently verified basic credentials for a short time so that an API client sending
/// <c>Authorization: Basic</c> on every request doesn't cost an argon2 computation (~0.1–0.5 s) per request.
/// Entries are keyed by an HMAC under a per-process random key: the cache never holds a password or anything that
/// could be checked offline against one. An entry made before the users file last changed is never used: a changed
/// password or a disabled user takes effect on the next request (<paramref name="usersGeneration"/>).
/// </summary>
internal sealed class BasicCredentialCache(TimeProvider time, Func<long> usersGeneration, int capacity = 10_000) : IDisposable
{
    private readonly ConcurrentDictionary<string, (string Username, DateTimeOffset Expires, long Generation)> _entries = new(StringComparer.Ordinal);
    // HMACSHA256.HashData is static and stateless: safe for concurrent requests without a lock.
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string? TryGet(string login, string password)
    {
        if (_entries.IsEmpty)
        {
            return null;
        }
        var key = Key(login, password);
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.Expires > time.GetUtcNow() && entry.Generation == usersGeneration())
            {
                return entry.Username;
            }
            // Only the stale entry we looked at: another request may have stored a fresh one under the key meanwhile.
            _entries.TryRemove(new KeyValuePair<string, (string, DateTimeOffset, long)>(key, entry));
        }
        return null;
    }

    /// <param name="lifespan">the strategy's <c>scheme_basic_cache_lifespan</c>; zero or less adds nothing</param>
    public void Add(string login, string password, string username, TimeSpan lifespan)
    {
        if (lifespan <= TimeSpan.Zero)
        {
            return;
        }
        if (_entries.Count >= capacity)
        {
            // Bounded: an attacker with many valid accounts can't grow it without limit; dropping all is cheap and safe.
            _entries.Clear();
        }
        _entries[Key(login, password)] = (username, time.GetUtcNow() + lifespan, usersGeneration());
    }

    /// <summary>Forget everything (users file changed: a password may have been changed or a user disabled).</summary>
    public void Clear() => _entries.Clear();

    private string Key(string login, string password) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(login + "\0" + password)));

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
