namespace Portal.Regulation;

/// <summary>
/// One waiting line per key: callers holding the same key run one after another, other keys are not held up.
/// Entries live only while someone holds or waits for them, so the set is bounded by the requests in flight.
/// </summary>
internal sealed class KeyedGate
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Holders { get; set; }
    }

    public async Task<IDisposable> EnterAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                _entries[key] = entry = new Entry();
            }
            entry.Holders++;
        }
        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key, entry, entered: false);
            throw;
        }
        return new Lease(this, key, entry);
    }

    /// <summary>Keys with a holder or a waiter (for tests: the set must empty itself).</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    private void Leave(string key, Entry entry, bool entered)
    {
        if (entered)
        {
            entry.Gate.Release();
        }
        lock (_entries)
        {
            if (--entry.Holders == 0)
            {
                _entries.Remove(key);
                entry.Gate.Dispose();
            }
        }
    }

    private sealed class Lease(KeyedGate owner, string key, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(key, entry, entered: true);
            }
        }
    }
}
