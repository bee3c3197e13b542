using Portal.Regulation;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Notification;
using Portal.Session;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Portal.Elevation;

/// <summary>
/// The elevated session (Authelia §5.1): <c>GET/POST/PUT /api/user/session/elevation</c> and
/// <c>DELETE /api/user/session/elevation/{id}</c>. A signed-in user asks for a code (POST), receives it by email,
/// and types it back (PUT) from the same IP; the session is then elevated for <c>elevation_lifespan</c>, which
/// <see cref="ElevationRequirement.Check"/> demands before credentials change.
/// </summary>
internal static partial class ElevationEndpoints
{
    /// <summary>Longest code accepted in a PUT, whatever <c>characters</c> says (Authelia's limit).</summary>
    public const int MaxCodeLength = 20;

    private const string InvalidCode = "The one-time code is not valid. Request a new one if it expired.";

    /// <summary>Signed in; a refused session cookie is expired with the 403.</summary>
    private static readonly SessionRequirement SignedIn = SessionRequirement.SignedIn with { ExpiresRejectedCookie = true };

    public static IEndpointRouteBuilder MapElevationEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var limits = app.ServiceProvider.GetRequiredService<ElevationLimits>();
        var proxies = app.ServiceProvider.GetRequiredService<TrustedProxies>();
        var time = app.ServiceProvider.GetRequiredService<TimeProvider>();
        var logger = app.ServiceProvider.GetRequiredService<ILogger<ElevationRequest>>();
        var api = app.MapApiGroup(LogStorageFailed);
        api.MapGet("/user/session/elevation", GetAsync).RequireSession(SignedIn);
        api.MapPost("/user/session/elevation", StartAsync)
            .LimitPerIp(limits.Start, proxies, (ip, seconds) => LogRateLimited(logger, "start", ip, seconds))
            .RequireSession(SignedIn);
        api.MapPut("/user/session/elevation", FinishAsync)
            .LimitPerIp(limits.Finish, proxies, (ip, seconds) => LogRateLimited(logger, "finish", ip, seconds))
            // Around the session check too: a refusal, an outage and a wrong code all take as long.
            .TakesAtLeast(limits.FinishDelay, time)
            .RequireSession(SignedIn);
        api.MapDelete("/user/session/elevation/{id}", RevokeAsync);
        return app;
    }

    private static async Task<Ok<Api.OkBody<ElevationState>>> GetAsync(HttpContext context, PortalSession portal, PortalOptions options,
        IEnumerable<IUserSecondFactors> secondFactors, TrustedProxies proxies, TimeProvider time, ILogger<ElevationRequest> logger)
    {
        var elevationOptions = options.IdentityValidation.ElevatedSession;
        var session = portal.Session;
        var (require, skip, canSkip, knowledge) = (false, false, false, false);
        if (portal.Level >= AuthenticationLevel.TwoFactor)
        {
            skip = elevationOptions.SkipSecondFactor && !session.AuthenticationMethods.RecoveryCode;
        }
        else
        {
            knowledge = session.AuthenticationMethods.FactorKnowledge;
            var has = await secondFactors.HasAnyAsync(session.Username, context.RequestAborted);
            if (elevationOptions.RequireSecondFactor)
            {
                require = has;
            }
            else if (elevationOptions.SkipSecondFactor && has)
            {
                canSkip = true;
            }
        }
        var (elevated, expires) = (false, 0);
        if (session.Elevation is { } elevation)
        {
            var now = time.GetUtcNow();
            var ip = ClientIp(context, proxies);
            if (elevation.IsValid(now, ip))
            {
                (elevated, expires) = (true, (int)(elevation.Expires - now).TotalSeconds);
            }
            else
            {
                // Expired, or verified from another IP: gone for good, as Authelia destroys it here too.
                LogElevationDropped(logger, session.Username, elevation.RemoteIp, ip, elevation.Expires <= now);
                session.Elevation = null;
                context.Response.Headers.Append("Set-Cookie", await portal.Manager.SaveAsync(portal.Active, context.RequestAborted));
            }
        }
        return Api.Ok(new ElevationState(require, skip, canSkip, knowledge, elevated, expires));
    }

    private static async Task<Results<Ok<Api.OkBody<ElevationStarted>>, JsonHttpResult<Api.KoBody>>> StartAsync(HttpContext context, PortalSession portal,
        PortalOptions options, IOneTimeCodeStore codes, INotifier notifier, NotificationTemplates templates, TrustedProxies proxies, OneTimeCodeMetrics metrics,
        Audit.AuditTrail audit, ILogger<ElevationRequest> logger)
    {
        var elevationOptions = options.IdentityValidation.ElevatedSession;
        var session = portal.Session;
        if (session.Emails.Count == 0)
        {
            LogNoEmail(logger, session.Username);
            return Api.Ko(403, "Your account has no email address to send a one-time code to. Ask an administrator to add one.");
        }
        var ip = ClientIp(context, proxies);
        var ct = context.RequestAborted;
        var issued = await codes.IssueAsync(session.Username, ip, OneTimeCodes.ElevationIntent, elevationOptions.Characters, elevationOptions.CodeLifespan, ct);
        var message = templates.Render(NotificationTemplates.IdentityVerificationOtc, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Title"] = "Confirm your identity",
            ["DisplayName"] = session.DisplayName.Length > 0 ? session.DisplayName : session.Username,
            ["Domain"] = portal.Manager.Cookie.Domain,
            ["OneTimeCode"] = issued.Code,
            ["RevocationLinkURL"] = RevokeLink(context, portal.Manager, proxies, issued.DeleteId),
            ["RevocationLinkText"] = "Revoke",
            ["RemoteIP"] = ip,
        });
        try
        {
            await notifier.SendAsync(new MailRecipient(session.Emails[0], session.DisplayName), message.Subject, message.Text, message.Html, ct);
        }
        catch (NotificationException e)
        {
            // A code nobody received must not stay usable.
            await codes.RevokeAsync(issued.PublicId, ip, CancellationToken.None);
            LogSendFailed(logger, e, session.Username);
            audit.ElevationRequested(session.Username, ip, Audit.AuditTrail.Failure);
            return Api.Ko(503, "The one-time code could not be emailed. Try again later or contact an administrator.");
        }
        LogIssued(logger, session.Username, ip, issued.PublicId);
        metrics.Sent();
        audit.ElevationRequested(session.Username, ip, Audit.AuditTrail.Success);
        return Api.Ok(new ElevationStarted(issued.DeleteId));
    }

    private static async Task<Results<Ok<Api.OkBody>, JsonHttpResult<Api.KoBody>>> FinishAsync(HttpContext context, PortalSession portal, PortalOptions options,
        IOneTimeCodeStore codes, TrustedProxies proxies, TimeProvider time, OneTimeCodeMetrics metrics, Audit.AuditTrail audit, ILogger<ElevationRequest> logger)
    {
        var session = portal.Session;
        var clientIp = context.ClientIp(proxies);
        var body = await Api.ReadAsync<ElevationFinishRequest>(context.Request, context.RequestAborted);
        var code = body?.Otc?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(code) || code.Length > MaxCodeLength)
        {
            LogBadRequest(logger, session.Username, clientIp);
            return Api.Ko(400, $"Invalid request: 'otc' must be the one-time code from the email (at most {MaxCodeLength} characters).");
        }
        var ip = RegulationKeys.Ip(clientIp);
        var (outcome, publicId) = await codes.ConsumeAsync(session.Username, ip, OneTimeCodes.ElevationIntent, code, context.RequestAborted);
        if (outcome != CodeOutcome.Verified)
        {
            LogRefused(logger, session.Username, ip, outcome);
            var reason = outcome switch
            {
                CodeOutcome.Expired => "expired",
                CodeOutcome.Revoked => "revoked",
                CodeOutcome.Consumed => "used",
                _ => "not_found",
            };
            metrics.Refused(reason);
            audit.ElevationUsed(session.Username, ip, Audit.AuditTrail.Failure, reason);
            return Api.Ko(403, InvalidCode);
        }
        var now = time.GetUtcNow();
        session.Elevation = new SessionElevation
        {
            Id = OneTimeCodes.EncodePublicId(publicId),
            RemoteIp = ip,
            Expires = now + options.IdentityValidation.ElevatedSession.ElevationLifespan,
        };
        session.LastActivity = now;
        // Elevation is a change of privilege: a new session id, so one known before it is worth nothing after.
        context.Response.Headers.Append("Set-Cookie", await portal.Manager.RegenerateAsync(portal.Active, context.RequestAborted));
        LogElevated(logger, session.Username, ip, session.Elevation.Expires);
        metrics.Used();
        audit.ElevationUsed(session.Username, ip, Audit.AuditTrail.Success, "verified");
        return Api.Ok();
    }

    /// <summary>No session needed: whoever holds the emailed link (a random 128-bit id) may cancel the code.</summary>
    private static async Task<Results<Ok<Api.OkBody>, JsonHttpResult<Api.KoBody>>> RevokeAsync(HttpContext context, string id, IOneTimeCodeStore codes,
        TrustedProxies proxies, ILogger<ElevationRequest> logger)
    {
        var ip = ClientIp(context, proxies);
        if (!OneTimeCodes.TryDecodePublicId(id, out var publicId))
        {
            return Api.Ko(400, "Invalid request: the one-time code id is malformed.");
        }
        var outcome = await codes.RevokeAsync(publicId, ip, context.RequestAborted);
        LogRevoked(logger, publicId, ip, outcome);
        return outcome switch
        {
            RevokeOutcome.Revoked => Api.Ok(),
            RevokeOutcome.AlreadyUsed => Api.Ko(409, "This one-time code was already used or revoked."),
            _ => Api.Ko(404, "No such one-time code."),
        };
    }

    /// <summary>In the form <see cref="SessionElevation.RemoteIp"/> is stored and compared in (IPv4-mapped as IPv4).</summary>
    private static string ClientIp(HttpContext context, TrustedProxies proxies) => RegulationKeys.Ip(context.ClientIp(proxies));

    /// <summary>
    /// The revoke page under the cookie's configured <c>authelia_url</c>, never under the request's Host header: a
    /// forged Host must not put an attacker's link into a genuine email.
    /// </summary>
    private static string RevokeLink(HttpContext context, SessionManager manager, TrustedProxies proxies, string deleteId)
    {
        var root = manager.Cookie.AutheliaUrl.Length > 0
            ? manager.Cookie.AutheliaUrl
            : $"{context.PortalScheme(proxies)}://{context.PortalHost(proxies)}/";
        if (!root.EndsWith('/'))
        {
            root += "/";
        }
        return new Uri(new Uri(root), "revoke/one-time-code?id=" + deleteId).ToString();
    }

    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "Emailed an elevation one-time code {PublicId} to {Username} (requested from {Ip})")]
    private static partial void LogIssued(ILogger logger, string username, string ip, Guid publicId);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Session of {Username} elevated from {Ip} until {Expires}")]
    private static partial void LogElevated(ILogger logger, string username, string ip, DateTimeOffset expires);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Elevation one-time code refused for {Username} from {Ip}: {Outcome}")]
    private static partial void LogRefused(ILogger logger, string username, string ip, CodeOutcome outcome);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "Revoke of elevation one-time code {PublicId} from {Ip}: {Outcome}")]
    private static partial void LogRevoked(ILogger logger, Guid publicId, string ip, RevokeOutcome outcome);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning, Message = "Elevation {Endpoint} rate limited for {Ip}; retry after {Seconds} s")]
    private static partial void LogRateLimited(ILogger logger, string endpoint, IPAddress ip, long seconds);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Error, Message = "Could not email an elevation one-time code to {Username}; the code was revoked")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string username);

    [LoggerMessage(EventId = 1706, Level = LogLevel.Warning, Message = "Cannot email an elevation one-time code to {Username}: the user has no email address")]
    private static partial void LogNoEmail(ILogger logger, string username);

    [LoggerMessage(EventId = 1707, Level = LogLevel.Information, Message = "Elevation of {Username} dropped (verified from {ElevationIp}, now {Ip}, expired: {Expired})")]
    private static partial void LogElevationDropped(ILogger logger, string username, string elevationIp, string ip, bool expired);

    [LoggerMessage(EventId = 1709, Level = LogLevel.Error, Message = "Elevation request failed: the storage is unavailable")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1708, Level = LogLevel.Information, Message = "Malformed elevation code submission from {Username} at {Ip}")]
    private static partial void LogBadRequest(ILogger logger, string username, IPAddress ip);

    /// <summary>Log category of the elevation endpoints.</summary>
    internal sealed class ElevationRequest;
}
