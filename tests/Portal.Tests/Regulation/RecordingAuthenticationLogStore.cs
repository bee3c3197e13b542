using Portal.Regulation;
using Portal.Users;

namespace Portal.Tests.Regulation;

/// <summary>An in-memory authentication log that keeps every attempt, banned ones included, for tests to read.</summary>
internal sealed class RecordingAuthenticationLogStore : IAuthenticationLogStore
{
    private readonly List<(DateTimeOffset Time, AuthenticationAttempt Attempt)> _attempts = [];
    private readonly List<Ban> _bans = [];

    public IReadOnlyList<AuthenticationAttempt> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts.Select(a => a.Attempt)];
            }
        }
    }

    public Task<long> AppendAsync(DateTimeOffset time, AuthenticationAttempt attempt, CancellationToken cancellationToken = default)
    {
        lock (_attempts)
        {
            _attempts.Add((time, attempt));
            return Task.FromResult((long)_attempts.Count);
        }
    }

    public Task<IReadOnlyList<AuthenticationLogEntry>> ReadRecentAttemptsAsync(RegulationSubject subject, string value, DateTimeOffset since,
        IReadOnlySet<string> authTypes, bool failuresOnly, int limit, CancellationToken cancellationToken = default)
    {
        lock (_attempts)
        {
            IReadOnlyList<AuthenticationLogEntry> recent = [.. _attempts
                .Select((a, i) => (a.Time, a.Attempt, Id: i + 1L))
                .Where(a => a.Time > since && !a.Attempt.Banned && authTypes.Contains(a.Attempt.AuthType) && (!failuresOnly || !a.Attempt.Successful))
                .Where(a => subject == RegulationSubject.User
                    ? Usernames.Key(a.Attempt.Username) == value
                    : RegulationKeys.Ip(a.Attempt.RemoteIp) == value)
                .Reverse()
                .Take(limit)
                .Select(a => new AuthenticationLogEntry(a.Id, a.Time, a.Attempt.Successful, a.Attempt.Banned, a.Attempt.Username, a.Attempt.AuthType,
                    RegulationKeys.Ip(a.Attempt.RemoteIp), a.Attempt.RequestUri, a.Attempt.RequestMethod))];
            return Task.FromResult(recent);
        }
    }

    public Task<long> AddBanAsync(RegulationSubject subject, string value, DateTimeOffset time, DateTimeOffset? expires, string source, string? reason,
        CancellationToken cancellationToken = default)
    {
        lock (_bans)
        {
            _bans.Add(new Ban(_bans.Count + 1, subject, RegulationKeys.For(subject, value), time, expires, false, null, source, reason));
            return Task.FromResult((long)_bans.Count);
        }
    }

    public Task<Ban?> FindActiveBanAsync(RegulationSubject subject, string value, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_bans)
        {
            var key = RegulationKeys.For(subject, value);
            return Task.FromResult(_bans.Where(b => b.Subject == subject && b.Value == key && b.IsActive(now)).OrderByDescending(b => b.Expires ?? DateTimeOffset.MaxValue).FirstOrDefault());
        }
    }

    public Task<IReadOnlyList<Ban>> ListBansAsync(RegulationSubject subject, DateTimeOffset now, bool includeInactive, CancellationToken cancellationToken = default)
    {
        lock (_bans)
        {
            IReadOnlyList<Ban> bans = [.. _bans.Where(b => b.Subject == subject && (includeInactive || b.IsActive(now))).Reverse()];
            return Task.FromResult(bans);
        }
    }

    public Task<bool> RevokeBanAsync(RegulationSubject subject, long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<int> RevokeBansAsync(RegulationSubject subject, string value, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
