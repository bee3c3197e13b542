using Microsoft.Extensions.Logging;
using Portal.Configuration;
using Portal.Users;

namespace Portal.Regulation;

/// <summary>
/// Brute-force regulation in Authelia's model: every attempt is logged; a failure that brings a user's (or an IP's)
/// recent failures to <c>max_retries</c> within <c>find_time</c> writes a ban lasting until the most recent failure
/// plus <c>ban_time</c>. Handlers call <see cref="BanCheckAsync"/> before checking a credential and
/// <see cref="RecordAttemptAsync"/> after.
/// </summary>
internal sealed partial class Regulator
{
    public const string RegulationSource = "regulation";
    public const string RegulationReason = "Exceeding Maximum Retries";

    private readonly RegulationOptions _options;
    private readonly bool _byUser;
    private readonly bool _byIp;
    private readonly IAuthenticationLogStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<Regulator> _logger;
    private readonly IRegulationLock _clusterLock;

    /// <param name="options">Validated by <see cref="RegulationValidator"/>.</param>
    /// <param name="clusterLock">the storage's line across nodes; none (<see cref="SingleNodeRegulationLock"/>) when only one node can use it</param>
    public Regulator(RegulationOptions options, IAuthenticationLogStore store, TimeProvider time, ILogger<Regulator> logger,
        IRegulationLock? clusterLock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _byUser = options.Modes.Contains(RegulationValidator.ModeUser, StringComparer.Ordinal);
        _byIp = options.Modes.Contains(RegulationValidator.ModeIp, StringComparer.Ordinal);
        _store = store;
        _time = time;
        _logger = logger;
        _clusterLock = clusterLock ?? SingleNodeRegulationLock.Instance;
    }

    /// <summary><c>max_retries: 0</c> turns regulation off: attempts are still logged, but never ban.</summary>
    public bool Enabled => _options.MaxRetries > 0;

    private readonly KeyedGate _gate = new();

    /// <summary>
    /// Holds "ban check → verify → record" of one user and one IP in line, so guesses sent at the same moment cannot
    /// all pass the ban check before the first failure is recorded (with max_retries 3, 32 parallel wrong passwords
    /// once had 5 checked): first on this node (an in-process gate, so a node waits on the storage for a key only once
    /// at a time), then across the nodes sharing the storage (<see cref="IRegulationLock"/>). Dispose after
    /// <see cref="RecordAttemptAsync"/>, before any failure delay.
    /// </summary>
    /// <exception cref="Storage.StorageException">The storage cannot hold the cross-node line now.</exception>
    public async Task<IAsyncDisposable> SerializeAsync(string? username, System.Net.IPAddress remoteIp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteIp);
        if (!Enabled)
        {
            return NoLease.Instance;
        }
        // Always IP first, then user: one order for every caller, so two leases can never wait on each other.
        var ipKey = RegulationKeys.Ip(remoteIp);
        var user = Usernames.Key(username);
        var held = new List<IDisposable>(2);
        try
        {
            held.Add(await _gate.EnterAsync("ip:" + ipKey, cancellationToken));
            List<RegulationLockKey> keys = [new(RegulationSubject.Ip, ipKey)];
            if (user.Length > 0)
            {
                held.Add(await _gate.EnterAsync("user:" + user, cancellationToken));
                keys.Add(new(RegulationSubject.User, user));
            }
            return new Lease(held, await _clusterLock.HoldAsync(keys, cancellationToken));
        }
        catch
        {
            Lease.Leave(held);
            throw;
        }
    }

    /// <summary>Keys currently held or awaited (tests check that the gate empties).</summary>
    internal int HeldKeys => _gate.Count;

    private sealed class NoLease : IAsyncDisposable
    {
        public static readonly NoLease Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>The cross-node line, then this node's gates, released in the reverse order they were taken.</summary>
    private sealed class Lease(List<IDisposable> gates, IAsyncDisposable clusterLock) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }
            try
            {
                await clusterLock.DisposeAsync();
            }
            finally
            {
                Leave(gates);
            }
        }

        public static void Leave(List<IDisposable> gates)
        {
            for (var i = gates.Count - 1; i >= 0; i--)
            {
                gates[i].Dispose();
            }
        }
    }

    /// <summary>
    /// Logs the attempt and, for a counted failure, bans the user and/or IP (per <c>modes</c>) if it reached the
    /// limit. Returns the ban this attempt caused, or <see cref="BanResult.None"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The auth type is not one of <see cref="AuthenticationTypes"/>.</exception>
    public async Task<BanResult> RecordAttemptAsync(AuthenticationAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (!AuthenticationTypes.All.Contains(attempt.AuthType))
        {
            // A misspelt type would silently escape regulation, so it is a programming error, loudly.
            throw new ArgumentException($"unknown authentication type '{attempt.AuthType}'", nameof(attempt));
        }
        var now = _time.GetUtcNow();
        var canonical = attempt with { Username = Usernames.Key(attempt.Username) };
        await _store.AppendAsync(now, canonical, cancellationToken);

        // A refused-while-banned attempt checked no credential, so it neither counts nor extends the ban.
        if (!Enabled || attempt.Successful || attempt.Banned || !AuthenticationTypes.Regulated.Contains(attempt.AuthType))
        {
            return BanResult.None;
        }

        var result = BanResult.None;
        if (_byIp)
        {
            result = await RegulateAsync(RegulationSubject.Ip, RegulationKeys.Ip(attempt.RemoteIp), now, cancellationToken);
        }
        if (_byUser && canonical.Username.Length > 0)
        {
            var user = await RegulateAsync(RegulationSubject.User, canonical.Username, now, cancellationToken);
            result = result.IsBanned ? result : user;
        }
        return result;
    }

    /// <summary>
    /// Whether the IP, then the user, is banned now. Stored bans are honoured whatever <c>modes</c> and
    /// <c>max_retries</c> say: they may have been set by an admin, and lifting them is an explicit revoke.
    /// </summary>
    /// <param name="username">The canonical username, or empty/null when not yet known (e.g. before a passkey
    /// assertion names the user).</param>
    public async Task<BanResult> BanCheckAsync(string? username, System.Net.IPAddress remoteIp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteIp);
        var now = _time.GetUtcNow();
        var ipBan = await _store.FindActiveBanAsync(RegulationSubject.Ip, RegulationKeys.Ip(remoteIp), now, cancellationToken);
        if (ipBan is not null)
        {
            return new BanResult(RegulationSubject.Ip, ipBan.Expires);
        }
        var user = Usernames.Key(username);
        if (user.Length == 0)
        {
            return BanResult.None;
        }
        var userBan = await _store.FindActiveBanAsync(RegulationSubject.User, user, now, cancellationToken);
        return userBan is null ? BanResult.None : new BanResult(RegulationSubject.User, userBan.Expires);
    }

    private async Task<BanResult> RegulateAsync(
        RegulationSubject subject, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // For a user, a success proves the owner is present and ends the walk (Authelia's rule). For an IP it does
        // not: anyone holding one valid account could otherwise log in between guesses at other accounts from the
        // same address and reset the IP's budget forever, so the IP window counts failures only.
        var failuresOnly = subject == RegulationSubject.Ip;
        var recent = await _store.ReadRecentAttemptsAsync(
            subject, key, now - _options.FindTime, AuthenticationTypes.Regulated, failuresOnly, _options.MaxRetries, cancellationToken);

        var failures = 0;
        DateTimeOffset? mostRecentFailure = null;
        foreach (var entry in recent)
        {
            if (entry.Successful)
            {
                break;
            }
            failures++;
            mostRecentFailure ??= entry.Time;
        }
        if (failures < _options.MaxRetries || mostRecentFailure is not { } last)
        {
            return BanResult.None;
        }

        var expires = last + _options.BanTime;
        var existing = await _store.FindActiveBanAsync(subject, key, now, cancellationToken);
        if (existing is not null && (existing.Expires is null || existing.Expires >= expires))
        {
            return new BanResult(subject, existing.Expires);
        }
        await _store.AddBanAsync(subject, key, now, expires, RegulationSource, RegulationReason, cancellationToken);
        LogBanned(_logger, subject, key, failures, expires);
        return new BanResult(subject, expires);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Regulation banned {Subject} '{Key}' after {Failures} failed attempts, until {Expires:O}")]
    private static partial void LogBanned(ILogger logger, RegulationSubject subject, string key, int failures, DateTimeOffset expires);
}
