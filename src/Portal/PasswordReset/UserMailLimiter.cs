namespace Portal.PasswordReset;

/// <summary>
/// At most <c>count</c> mails per user per <c>window</c>. In memory, like the IP limits: per node, forgotten on
/// restart; what it prevents is a mailbox flood, not a guess.
/// </summary>
internal sealed class UserMailLimiter(int count, TimeSpan window, TimeProvider time)
{
    private const int MaxTrackedUsers = 100_000;
    private readonly Dictionary<string, List<DateTimeOffset>> _sent = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Counts a mail to <paramref name="username"/> and says whether it may be sent.</summary>
    public bool TryAcquire(string username)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_sent.Count >= MaxTrackedUsers)
            {
                foreach (var (user, times) in _sent.ToList())
                {
                    if (times.TrueForAll(t => t <= now - window))
                    {
                        _sent.Remove(user);
                    }
                }
                if (_sent.Count >= MaxTrackedUsers && !_sent.ContainsKey(username))
                {
                    return false;
                }
            }
            if (!_sent.TryGetValue(username, out var sent))
            {
                sent = [];
                _sent[username] = sent;
            }
            sent.RemoveAll(t => t <= now - window);
            if (sent.Count >= count)
            {
                return false;
            }
            sent.Add(now);
            return true;
        }
    }
}
