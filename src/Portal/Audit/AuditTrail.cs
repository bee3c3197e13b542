using System.Net;

namespace Portal.Audit;

/// <summary>
/// The security events a log pipeline alerts on, each one structured log event with stable fields: <c>AuditEvent</c>
/// (the event's name), <c>User</c>, <c>RemoteIp</c>, <c>Method</c>, <c>Result</c>, and what the event adds
/// (<c>Target</c>, <c>Credential</c>, <c>Count</c>, <c>Reason</c>). Logged under the category <c>Portal.Audit</c>,
/// which is written whatever <c>log.level</c> says (<see cref="Infrastructure.Logging"/>). Never a password, a code,
/// a session id or a credential's id: only names, addresses and outcomes.
/// </summary>
internal sealed partial class AuditTrail(ILogger<AuditTrail> logger)
{
    /// <summary>The logger category, for the log configuration.</summary>
    public const string Category = "Portal.Audit.AuditTrail";

    public const string Success = "success";
    public const string Failure = "failure";
    public const string Banned = "banned";

    /// <summary>A first factor (password form, basic credentials, passkey) was checked.</summary>
    /// <param name="method">the <c>auth_type</c> (<c>1FA</c>, <c>Passkey</c>)</param>
    public void SignIn(string user, IPAddress remoteIp, string method, string result) =>
        LogSignIn(logger, "SignIn", user, remoteIp, method, result);

    /// <summary>A second factor (security key, password after a passkey) was checked.</summary>
    public void SecondFactor(string user, IPAddress remoteIp, string method, string result) =>
        LogSecondFactor(logger, "SecondFactor", user, remoteIp, method, result);

    /// <summary>A failure reached <c>regulation.max_retries</c>: the user or the IP is banned until <paramref name="until"/>.</summary>
    public void Ban(string user, IPAddress remoteIp, string method, string subject, DateTimeOffset until) =>
        LogBan(logger, "Ban", user, remoteIp, method, Banned, subject, until);

    /// <summary>An elevation code was sent to the user's email.</summary>
    public void ElevationRequested(string user, string remoteIp, string result) =>
        LogElevationRequested(logger, "ElevationRequested", user, remoteIp, "email", result);

    /// <summary>An elevation code was presented: accepted, or refused with why.</summary>
    public void ElevationUsed(string user, string remoteIp, string result, string reason) =>
        LogElevationUsed(logger, "ElevationUsed", user, remoteIp, "email", result, reason);

    /// <summary>A WebAuthn credential was registered.</summary>
    /// <param name="credential">the description the user gave it</param>
    public void CredentialAdded(string user, string remoteIp, string method, string credential) =>
        LogCredentialAdded(logger, "CredentialAdded", user, remoteIp, method, Success, credential);

    public void CredentialRemoved(string user, string remoteIp, string method, string credential) =>
        LogCredentialRemoved(logger, "CredentialRemoved", user, remoteIp, method, Success, credential);

    public void CredentialRenamed(string user, string remoteIp, string method, string credential) =>
        LogCredentialRenamed(logger, "CredentialRenamed", user, remoteIp, method, Success, credential);

    /// <summary>Sessions of <paramref name="user"/> were ended.</summary>
    /// <param name="method">who ended them: <c>user</c> (the settings page), <c>credential_change</c>, <c>users_file</c></param>
    public void SessionRevoked(string user, string remoteIp, string method, int count) =>
        LogSessionRevoked(logger, "SessionRevoked", user, remoteIp, method, Success, count);

    /// <summary>A forward-auth or gateway request was refused by the rules (403).</summary>
    /// <param name="method">the request's method</param>
    public void AccessDenied(string user, IPAddress remoteIp, string method, string target) =>
        LogAccessDenied(logger, "AccessDenied", user, remoteIp, method, Failure, target);

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Audit {AuditEvent}: user {User} from {RemoteIp} by {Method}: {Result}")]
    private static partial void LogSignIn(ILogger logger, string auditEvent, string user, IPAddress remoteIp, string method, string result);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Audit {AuditEvent}: user {User} from {RemoteIp} by {Method}: {Result}")]
    private static partial void LogSecondFactor(ILogger logger, string auditEvent, string user, IPAddress remoteIp, string method, string result);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Audit {AuditEvent}: user {User} from {RemoteIp} by {Method}: {Result}, the {Subject} until {Until}")]
    private static partial void LogBan(ILogger logger, string auditEvent, string user, IPAddress remoteIp, string method, string result, string subject, DateTimeOffset until);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Audit {AuditEvent}: user {User} from {RemoteIp} by {Method}: {Result}")]
    private static partial void LogElevationRequested(ILogger logger, string auditEvent, string user, string remoteIp, string method, string result);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Audit {AuditEvent}: user {User} from {RemoteIp} by {Method}: {Result} ({Reason})")]
    private static partial void LogElevationUsed(ILogger logger, string auditEvent, string user, string remoteIp, string method, string result, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Audit {AuditEvent}: user {User} from {RemoteIp} by {Method}: {Result}, credential {Credential}")]
    private static partial void LogCredentialAdded(ILogger logger, string auditEvent, string user, string remoteIp, string method, string result, string credential);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Audit {AuditEvent}: user {User} from {RemoteIp} by {Method}: {Result}, credential {Credential}")]
    private static partial void LogCredentialRemoved(ILogger logger, string auditEvent, string user, string remoteIp, string method, string result, string credential);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Audit {AuditEvent}: user {User} from {RemoteIp} by {Method}: {Result}, credential {Credential}")]
    private static partial void LogCredentialRenamed(ILogger logger, string auditEvent, string user, string remoteIp, string method, string result, string credential);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "Audit {AuditEvent}: user {User} from {RemoteIp} by {Method}: {Result}, {Count} session(s)")]
    private static partial void LogSessionRevoked(ILogger logger, string auditEvent, string user, string remoteIp, string method, string result, int count);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "Audit {AuditEvent}: user {User} from {RemoteIp} by {Method}: {Result}, target {Target}")]
    private static partial void LogAccessDenied(ILogger logger, string auditEvent, string user, IPAddress remoteIp, string method, string result, string target);
}
