using Portal.Session;
using Portal.Users;
using SessionOptions = Portal.Session.SessionOptions;

namespace Portal.UserSessions;

/// <summary>
/// <c>session.sign_out_on_credential_change</c>: a changed credential ends the sessions that may have been opened
/// with the old one — the user's other sessions when they add or remove a security key or passkey (the session that
/// made the change stays), and every session of a user whose password the users file changed.
/// </summary>
internal sealed partial class CredentialChangeSignOut
{
    private readonly SessionProvider _sessions;
    private readonly bool _enabled;
    private readonly ILogger<CredentialChangeSignOut> _logger;

    private readonly Audit.AuditTrail? _audit;

    public CredentialChangeSignOut(SessionOptions options, SessionProvider sessions, IUserProvider users, ILogger<CredentialChangeSignOut> logger,
        Audit.AuditTrail? audit = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sessions = sessions;
        _enabled = options.SignOutOnCredentialChange;
        _logger = logger;
        _audit = audit;
        if (_enabled && users is FileUserProvider file)
        {
            file.PasswordsChanged += changed => _ = EndAllAsync(changed);
        }
    }

    /// <summary>After a security key or passkey was added or removed by the session <paramref name="keepId"/>.</summary>
    /// <exception cref="SessionStoreUnavailableException">The store is down.</exception>
    public async Task SecondFactorsChangedAsync(string username, string keepId, CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return;
        }
        var ended = await _sessions.RevokeAsync(username, handles: null, keepId, cancellationToken);
        LogEnded(_logger, username, ended, "a security key or passkey was added or removed");
        _audit?.SessionRevoked(username, "", "credential_change", ended);
    }

    private async Task EndAllAsync(IReadOnlyList<string> usernames)
    {
        foreach (var username in usernames)
        {
            try
            {
                var ended = await _sessions.RevokeAsync(username, handles: null, keepId: null, CancellationToken.None);
                LogEnded(_logger, username, ended, "the users file changed the password");
                _audit?.SessionRevoked(username, "", "users_file", ended);
            }
            catch (SessionStoreUnavailableException e)
            {
                // Nothing to retry against: the sessions stay until they expire. Said loudly, as it matters.
                LogNotEnded(_logger, username, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 1902, Level = LogLevel.Information, Message = "Ended {Count} session(s) of {Username}: {Reason} (session.sign_out_on_credential_change)")]
    private static partial void LogEnded(ILogger logger, string username, int count, string reason);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Error, Message = "Could not end the sessions of {Username} after a password change: {Error}")]
    private static partial void LogNotEnded(ILogger logger, string username, string error);
}
