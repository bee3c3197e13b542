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

    /// <param name="options">Validated by <see cref="RegulationValidator"/>.</param>
    public Regulator(RegulationOptions options, IAuthenticationLogStore store, TimeProvider time, ILogger<Regulator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _byUser = options.Modes.Contains(RegulationValidator.ModeUser, StringComparer.Ordinal);
        _byIp = options.Modes.Contains(RegulationValidator.ModeIp, StringComparer.Ordinal);
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary><c>max_retries: 0</c> turns regulation off: attempts are still logged, but never ban.</summary>
    public bool Enabled => _options.MaxRetries > 0;

    private readonly KeyedGate _gate = new();

    /// <summary>
    /// Holds "ban check → verify → record" of one user and one IP on this node in line, so guesses sent at the same
    /// moment cannot all pass the ban check before the first failure is recorded (with max_retries 3, 32 parallel
    /// wrong passwords once had 5 checked). Dispose after <see cref="RecordAttemptAsync"/>, before any failure delay.
    /// </summary>
    public async Task<IDisposable> SerializeAsync(string? username, System.Net.IPAddress remoteIp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteIp);
        if (!Enabled)
        {
            return NoLease.Instance;
        }
        // Always IP first, then user: one order for every caller, so two leases can never wait on each other.
        var ip = await _gate.EnterAsync("ip:" + RegulationKeys.Ip(remoteIp), cancellationToken);
        var user = Usernames.Key(username);
        if (user.Length == 0)
        {
            return ip;
        }
        try
        {
            return new Both(ip, await _gate.EnterAsync("user:" + user, cancellationToken));
        }
        catch
        {
            ip.Dispose();
            throw;
        }
    }

    /// <summary>Keys currently held or awaited (tests check that the gate empties).</summary>
    internal int HeldKeys => _gate.Count;

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();

        public void Dispose()
        {
        }
    }

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            second.Dispose();
            first.Dispose();
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
