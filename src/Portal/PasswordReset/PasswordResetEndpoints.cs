using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Session;
using Portal.Users;
using Portal.WebAuthn;

namespace Portal.PasswordReset;

/// <summary>
/// The password reset by email (Authelia's <c>identity_validation.reset_password</c>), without a session:
/// <list type="number">
/// <item><c>POST /api/reset-password/identity/start</c> <c>{username}</c>: the same 200, after the same delay, whether
/// or not the user exists; for an enabled user with an email address, a signed link (<see cref="ResetLinks"/>) is
/// mailed after the answer.</item>
/// <item><c>POST /api/reset-password/identity/finish</c> <c>{token}</c>: whether the link is still good (the page asks
/// before the user types a password); nothing is used up.</item>
/// <item><c>POST /api/reset-password</c> <c>{token, password}</c>: the link is checked, the password against
/// <c>password_policy</c> (400 naming the rule; the link stays usable), the link's id is recorded as used (single use
/// across nodes: <see cref="IUsedCeremonyStore"/>), the users file is rewritten, every session of the user ends,
/// and the user is told by email.</item>
/// </list>
/// <c>GET /api/reset-password/configuration</c> says whether the reset is offered and what the policy asks.
/// </summary>
internal static partial class PasswordResetEndpoints
{
    private const string BadLink = "This password reset link is not valid: it expired, was already used, or a newer password replaced it. Ask for a new link.";

    /// <summary>Kept apart from the WebAuthn states in the shared used-ceremony table.</summary>
    private const string UsedPrefix = "password-reset:";

    public static IEndpointRouteBuilder MapPasswordResetEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ServiceProvider.GetRequiredService<PortalOptions>();
        var api = app.MapApiGroup(LogStorageFailed);
        api.MapGet("/reset-password/configuration", Configuration);
        if (!PasswordResetServices.Enabled(options))
        {
            return app;
        }
        var limits = app.ServiceProvider.GetRequiredService<PasswordResetLimits>();
        var proxies = app.ServiceProvider.GetRequiredService<TrustedProxies>();
        var time = app.ServiceProvider.GetRequiredService<TimeProvider>();
        var logger = app.ServiceProvider.GetRequiredService<ILogger<ResetRequest>>();
        api.MapPost("/reset-password/identity/start", Start)
            .LimitPerIp(limits.Start, proxies, (ip, seconds) => LogRateLimited(logger, "start", ip, seconds))
            // Every answer past the rate limit takes at least this long, whoever was asked about.
            .TakesAtLeast(limits.StartDelay, time)
            .RequireBody<ResetStartRequest>(b => b.Username is { Length: > 0 and <= 256 }, "Invalid request: 'username' is required (at most 256 characters).");
        api.MapPost("/reset-password/identity/finish", Check)
            .LimitPerIp(limits.Finish, proxies, (ip, seconds) => LogRateLimited(logger, "check", ip, seconds))
            .RequireBody<ResetFinishRequest>(b => b.Token is { Length: > 0 }, "Invalid request: 'token' is required.");
        api.MapPost("/reset-password", FinishAsync)
            .LimitPerIp(limits.Finish, proxies, (ip, seconds) => LogRateLimited(logger, "finish", ip, seconds))
            .RequireBody<ResetFinishRequest>(b => b.Token is { Length: > 0 } && b.Password is { Length: > 0 }, "Invalid request: 'token' and 'password' are required.");
        return app;
    }

    private static Ok<Api.OkBody<PasswordResetConfiguration>> Configuration(PortalOptions options)
    {
        var policy = options.PasswordPolicy;
        var (standard, zxcvbn) = (policy.Standard, policy.Zxcvbn);
        var mode = standard.Enabled ? "standard" : zxcvbn.Enabled ? "zxcvbn" : "none";
        return Api.Ok(new PasswordResetConfiguration(PasswordResetServices.Enabled(options), mode,
            standard.Enabled ? standard.MinLength : 1, standard.Enabled && standard.MaxLength > 0 ? standard.MaxLength : PasswordPolicy.LongestPassword,
            standard.Enabled && standard.RequireUppercase, standard.Enabled && standard.RequireLowercase,
            standard.Enabled && standard.RequireNumber, standard.Enabled && standard.RequireSpecial, zxcvbn.Enabled ? zxcvbn.MinScore : 0));
    }

    private static Results<Ok<Api.OkBody>, JsonHttpResult<Api.KoBody>> Start(HttpContext context, JsonBody<ResetStartRequest> body, IUserProvider users,
        SessionProvider sessions, ResetLinks links, PasswordResetLimits limits, PasswordResetMail mail, TrustedProxies proxies, ILogger<ResetRequest> logger)
    {
        var manager = sessions.ForHost(context.PortalHost(proxies));
        if (manager is null)
        {
            // About the host asked, never about the user: the same for every username.
            LogNoCookieDomain(logger, context.PortalHost(proxies));
            return Api.Ko(400, "This portal address is under no configured session cookie domain.");
        }
        var ip = context.ClientIp(proxies);
        var login = body.Value.Username!.Trim();
        if (users is not FileUserProvider file || file.Database.Find(login) is not { Disabled: false } entry)
        {
            LogUnknown(logger, login.Length > 64 ? login[..64] : login, ip);
            return Api.Ok();
        }
        var user = entry.Details;
        if (user.Emails.Count == 0)
        {
            LogNoEmail(logger, user.Username);
            return Api.Ok();
        }
        if (!limits.Mails.TryAcquire(Usernames.Key(user.Username)))
        {
            LogUserLimited(logger, user.Username, ip);
            return Api.Ok();
        }
        var token = links.Issue(user.Username, entry.Digest.Encoded);
        mail.SendLinkInBackground(user, Link(context, manager, proxies, token), links.Lifespan, ip, manager.Cookie.Domain);
        return Api.Ok();
    }

    private static Results<Ok<Api.OkBody<ResetLinkState>>, JsonHttpResult<Api.KoBody>> Check(HttpContext context, JsonBody<ResetFinishRequest> body,
        IUserProvider users, ResetLinks links, TrustedProxies proxies, ILogger<ResetRequest> logger)
    {
        if (Current(body.Value.Token!, users, links) is not { } current)
        {
            LogBadLink(logger, context.ClientIp(proxies), "check");
            return Api.Ko(403, BadLink);
        }
        return Api.Ok(new ResetLinkState(current.Link.Username, (long)(current.Link.Expires - links.Now).TotalSeconds));
    }

    private static async Task<Results<Ok<Api.OkBody>, JsonHttpResult<Api.KoBody>>> FinishAsync(HttpContext context, JsonBody<ResetFinishRequest> body,
        IUserProvider users, ResetLinks links, PasswordPolicy policy, IUsedCeremonyStore used, SessionProvider sessions, PasswordResetMail mail,
        PortalOptions options, TrustedProxies proxies, ILogger<ResetRequest> logger)
    {
        var ip = context.ClientIp(proxies);
        var ct = context.RequestAborted;
        if (Current(body.Value.Token!, users, links) is not { } current)
        {
            LogBadLink(logger, ip, "finish");
            return Api.Ko(403, BadLink);
        }
        var (link, user, file) = current;
        var password = body.Value.Password!;
        if (policy.Check(password, [user.Username, user.DisplayName, .. user.Emails]) is { } broken)
        {
            // Before the link is used: the user picks another password with the same link.
            LogPolicyRefused(logger, user.Username, ip, broken);
            return Api.Ko(400, broken);
        }
        // Kept past the link's life (and the WebAuthn ceremonies' own), so a used link is never forgotten while it could verify.
        var keepFor = (links.Lifespan > options.WebAuthn.Timeout ? links.Lifespan : options.WebAuthn.Timeout) + TimeSpan.FromDays(1);
        if (!await used.TryConsumeAsync(UsedPrefix + link.Id, links.Now, keepFor, ct))
        {
            LogBadLink(logger, ip, "reuse");
            return Api.Ko(403, BadLink);
        }
        // Sessions first: a session store that is down stops the reset (503) before the password changes.
        await sessions.RevokeAsync(user.Username, handles: null, keepId: null, ct);
        if (file.SetPassword(user.Username, password) is { } error)
        {
            LogWriteFailed(logger, user.Username, error);
            return Api.Ko(503, "The new password could not be saved. Ask for a new link later, or contact an administrator.");
        }
        // And again: a session opened with the old password while the file was being written ends too.
        var ended = await sessions.RevokeAsync(user.Username, handles: null, keepId: null, ct);
        LogReset(logger, user.Username, ip, ended);
        var manager = sessions.ForHost(context.PortalHost(proxies));
        await mail.SendChangedAsync(user, ip, manager?.Cookie.Domain ?? context.PortalHost(proxies), CancellationToken.None);
        return Api.Ok();
    }

    /// <summary>The link when it verifies and was issued against the user's current password.</summary>
    private static (ResetLink Link, UserDetails User, FileUserProvider File)? Current(string token, IUserProvider users, ResetLinks links)
    {
        if (links.Verify(token) is not { } link || users is not FileUserProvider file
            || file.Database.Find(link.Username) is not { Disabled: false } entry
            || !string.Equals(entry.Details.Username, link.Username, StringComparison.Ordinal)
            || !string.Equals(ResetLinks.Fingerprint(entry.Digest.Encoded), link.PasswordFingerprint, StringComparison.Ordinal))
        {
            return null;
        }
        return (link, entry.Details, file);
    }

    /// <summary>The reset page under the cookie's configured <c>authelia_url</c>, never under a forged Host header.</summary>
    private static string Link(HttpContext context, SessionManager manager, TrustedProxies proxies, string token)
    {
        var root = manager.Cookie.AutheliaUrl.Length > 0
            ? manager.Cookie.AutheliaUrl
            : $"{context.PortalScheme(proxies)}://{context.PortalHost(proxies)}/";
        if (!root.EndsWith('/'))
        {
            root += "/";
        }
        return new Uri(new Uri(root), "reset-password/step2?token=" + Uri.EscapeDataString(token)).ToString();
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Password of {Username} reset from {Ip}; {Count} session(s) ended")]
    private static partial void LogReset(ILogger logger, string username, IPAddress ip, int count);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Password reset asked for {Login} from {Ip}: no such enabled user, nothing sent")]
    private static partial void LogUnknown(ILogger logger, string login, IPAddress ip);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Password reset asked for {Username}, who has no email address: nothing sent")]
    private static partial void LogNoEmail(ILogger logger, string username);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Password reset for {Username} asked from {Ip}: the user's mail limit is reached, nothing sent")]
    private static partial void LogUserLimited(ILogger logger, string username, IPAddress ip);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Password reset link refused from {Ip} ({Step}): invalid, expired, used or superseded")]
    private static partial void LogBadLink(ILogger logger, IPAddress ip, string step);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "New password for {Username} from {Ip} refused by the password policy: {Rule}")]
    private static partial void LogPolicyRefused(ILogger logger, string username, IPAddress ip, string rule);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Password reset of {Username} failed: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string username, string error);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Password reset {Endpoint} rate limited for {Ip}; retry after {Seconds} s")]
    private static partial void LogRateLimited(ILogger logger, string endpoint, IPAddress ip, long seconds);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Password reset asked for host {Host}, which is under no session cookie domain")]
    private static partial void LogNoCookieDomain(ILogger logger, string host);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error, Message = "Password reset failed: the storage is unavailable")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception);

    /// <summary>Log category of the reset endpoints.</summary>
    internal sealed class ResetRequest;
}
