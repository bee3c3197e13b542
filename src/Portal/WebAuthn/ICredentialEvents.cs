using Portal.Authentication;

namespace Portal.WebAuthn;

/// <summary>
/// Tells the user that a second-factor credential was added to or removed from their account (Authelia's "Second
/// Factor Method Added/Removed" emails). Called after the change is stored; implementations must not throw, since
/// the change has already happened.
/// </summary>
internal interface ICredentialEvents
{
    Task CredentialAddedAsync(UserDetails user, string credentialName, CancellationToken cancellationToken = default);

    Task CredentialRemovedAsync(UserDetails user, string credentialName, CancellationToken cancellationToken = default);
}

/// <summary>The default until a notifier is wired in: the event is only logged.</summary>
internal sealed partial class LoggingCredentialEvents(ILogger<LoggingCredentialEvents> logger) : ICredentialEvents
{
    public Task CredentialAddedAsync(UserDetails user, string credentialName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        LogAdded(logger, user.Username, credentialName);
        return Task.CompletedTask;
    }

    public Task CredentialRemovedAsync(UserDetails user, string credentialName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        LogRemoved(logger, user.Username, credentialName);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 1520, Level = LogLevel.Information, Message = "WebAuthn credential '{Name}' added for {Username}")]
    private static partial void LogAdded(ILogger logger, string username, string name);

    [LoggerMessage(EventId = 1521, Level = LogLevel.Information, Message = "WebAuthn credential '{Name}' removed for {Username}")]
    private static partial void LogRemoved(ILogger logger, string username, string name);
}
