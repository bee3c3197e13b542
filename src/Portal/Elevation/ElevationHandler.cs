using Portal.Regulation;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Notification;
using Portal.Session;
using Portal.Storage;

namespace Portal.Elevation;

/// <summary>
/// The elevated session (Authelia §5.1): <c>GET/POST/PUT /api/user/session/elevation</c> and
/// <c>DELETE /api/user/session/elevation/{id}</c>. A signed-in user asks for a code (POST), receives it by email,
/// and types it back (PUT) from the same IP; the session is then elevated for <c>elevation_lifespan</c>, which
/// <see cref="ElevationRequirement.Check"/> demands before credentials change.
/// </summary>
internal sealed partial class ElevationHandler
{
    /// <summary>Longest code accepted in a PUT, whatever <c>characters</c> says (Authelia's limit).</summary>
    public const int MaxCodeLength = 20;

    private const string InvalidCode = "The one-time code is not valid. Request a new one if it expired.";

    private readonly PortalOptions _options;
    private readonly ElevatedSessionOptions _elevation;
    private readonly PortalSessions _sessions;
    private readonly TrustedProxies _proxies;
    private readonly IOneTimeCodeStore _codes;
    private readonly IUserSecondFactors _secondFactors;
    private readonly INotifier _notifier;
    private readonly NotificationTemplates _templates;
    private readonly TimeProvider _time;
    private readonly ILogger<ElevationHandler> _logger;

    public ElevationHandler(PortalOptions options, PortalSessions sessions, TrustedProxies proxies, IOneTimeCodeStore codes,
        IUserSecondFactors secondFactors, INotifier notifier, NotificationTemplates templates, TimeProvider time, ILogger<ElevationHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _elevation = options.IdentityValidation.ElevatedSession;
        _sessions = sessions;
        _proxies = proxies;
        _codes = codes;
        _secondFactors = secondFactors;
        _notifier = notifier;
        _templates = templates;
        _time = time;
        _logger = logger;
        var code = _elevation.CodeLifespan;
        var elevated = _elevation.ElevationLifespan;
        StartLimiter = new IpRateLimiter([new(3, code), new(5, 2 * code), new(15, 12 * code)], time);
        FinishLimiter = new IpRateLimiter([new(3, elevated), new(5, 2 * elevated), new(15, 6 * elevated)], time);
    }

    /// <summary>POST: 3 per code lifespan, 5 per two, 15 per twelve, per IP.</summary>
    public IpRateLimiter StartLimiter { get; }

    /// <summary>PUT: 3 per elevation lifespan, 5 per two, 15 per six, per IP.</summary>
    public IpRateLimiter FinishLimiter { get; }

    /// <summary>Every PUT answers after at least this long, so timing says nothing about why a code failed.</summary>
    public TimeSpan FinishDelay { get; init; } = TimeSpan.FromSeconds(1);

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/user/session/elevation", (HttpContext c, ElevationHandler h) => h.GetAsync(c));
        app.MapPost("/api/user/session/elevation", (HttpContext c, ElevationHandler h) => h.StartAsync(c));
        app.MapPut("/api/user/session/elevation", (HttpContext c, ElevationHandler h) => h.FinishAsync(c));
        app.MapDelete("/api/user/session/elevation/{id}", (HttpContext c, string id, ElevationHandler h) => h.RevokeAsync(c, id));
    }

    public async Task<IResult> GetAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await WithSignedInSession(context, async (manager, active, level) =>
        {
            var session = active.Session;
            var (require, skip, canSkip, knowledge) = (false, false, false, false);
            if (level >= AuthenticationLevel.TwoFactor)
            {
                skip = _elevation.SkipSecondFactor;
            }
            else
            {
                knowledge = session.AuthenticationMethods.FactorKnowledge;
                var has = await _secondFactors.HasAnyAsync(session.Username, context.RequestAborted);
                if (_elevation.RequireSecondFactor)
                {
                    require = has;
                }
                else if (_elevation.SkipSecondFactor && has)
                {
                    canSkip = true;
                }
            }
            var (elevated, expires) = (false, 0);
            if (session.Elevation is { } elevation)
            {
                var now = _time.GetUtcNow();
                var ip = ClientIp(context);
                if (elevation.IsValid(now, ip))
                {
                    (elevated, expires) = (true, (int)(elevation.Expires - now).TotalSeconds);
                }
                else
                {
                    // Expired, or verified from another IP: gone for good, as Authelia destroys it here too.
                    LogElevationDropped(_logger, session.Username, elevation.RemoteIp, ip, elevation.Expires <= now);
                    session.Elevation = null;
                    context.Response.Headers.Append("Set-Cookie", await manager.SaveAsync(active, context.RequestAborted));
                }
            }
            return Api.Ok(new ElevationState(require, skip, canSkip, knowledge, elevated, expires));
        });
    }

    public async Task<IResult> StartAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clientIp = context.ClientIp(_proxies);
        if (Limited(context, StartLimiter, clientIp, "start") is { } limited)
        {
            return limited;
        }
        return await WithSignedInSession(context, async (manager, active, _) =>
        {
            var session = active.Session;
            if (session.Emails.Count == 0)
            {
                LogNoEmail(_logger, session.Username);
                return Api.Ko(403, "Your account has no email address to send a one-time code to. Ask an administrator to add one.");
            }
            var ip = RegulationKeys.Ip(clientIp);
            var ct = context.RequestAborted;
            var issued = await _codes.IssueAsync(session.Username, ip, OneTimeCodes.ElevationIntent, _elevation.Characters, _elevation.CodeLifespan, ct);
            var message = _templates.Render(NotificationTemplates.IdentityVerificationOtc, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Title"] = "Confirm your identity",
                ["DisplayName"] = session.DisplayName.Length > 0 ? session.DisplayName : session.Username,
                ["Domain"] = manager.Cookie.Domain,
                ["OneTimeCode"] = issued.Code,
                ["RevocationLinkURL"] = RevokeLink(context, manager, issued.DeleteId),
                ["RevocationLinkText"] = "Revoke",
                ["RemoteIP"] = ip,
            });
            try
            {
                await _notifier.SendAsync(new MailRecipient(session.Emails[0], session.DisplayName), message.Subject, message.Text, message.Html, ct);
            }
            catch (NotificationException e)
            {
                // A code nobody received must not stay usable.
                await _codes.RevokeAsync(issued.PublicId, ip, CancellationToken.None);
                LogSendFailed(_logger, e, session.Username);
                return Api.Ko(503, "The one-time code could not be emailed. Try again later or contact an administrator.");
            }
            LogIssued(_logger, session.Username, ip, issued.PublicId);
            return Api.Ok(new ElevationStarted(issued.DeleteId));
        });
    }

    public async Task<IResult> FinishAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clientIp = context.ClientIp(_proxies);
        if (Limited(context, FinishLimiter, clientIp, "finish") is { } limited)
        {
            return limited;
        }
        var started = _time.GetTimestamp();
        var result = await WithSignedInSession(context, async (manager, active, _) =>
        {
            var session = active.Session;
            var body = await Api.ReadAsync<ElevationFinishRequest>(context.Request, context.RequestAborted);
            var code = body?.Otc?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(code) || code.Length > MaxCodeLength)
            {
                LogBadRequest(_logger, session.Username, clientIp);
                return Api.Ko(400, $"Invalid request: 'otc' must be the one-time code from the email (at most {MaxCodeLength} characters).");
            }
            var ip = RegulationKeys.Ip(clientIp);
            var (outcome, publicId) = await _codes.ConsumeAsync(session.Username, ip, OneTimeCodes.ElevationIntent, code, context.RequestAborted);
            if (outcome != CodeOutcome.Verified)
            {
                LogRefused(_logger, session.Username, ip, outcome);
                return Api.Ko(403, InvalidCode);
            }
            var now = _time.GetUtcNow();
            session.Elevation = new SessionElevation
            {
                Id = OneTimeCodes.EncodePublicId(publicId),
                RemoteIp = ip,
                Expires = now + _elevation.ElevationLifespan,
            };
            session.LastActivity = now;
            // Elevation is a change of privilege: a new session id, so one known before it is worth nothing after.
            context.Response.Headers.Append("Set-Cookie", await manager.RegenerateAsync(active, context.RequestAborted));
            LogElevated(_logger, session.Username, ip, session.Elevation.Expires);
            return Api.Ok();
        });
        var remaining = FinishDelay - _time.GetElapsedTime(started);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, context.RequestAborted);
        }
        return result;
    }

    public async Task<IResult> RevokeAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        // No session needed: whoever holds the emailed link (a random 128-bit id) may cancel the code.
        var ip = RegulationKeys.Ip(context.ClientIp(_proxies));
        if (!OneTimeCodes.TryDecodePublicId(id, out var publicId))
        {
            return Api.Ko(400, "Invalid request: the one-time code id is malformed.");
        }
        var outcome = await _codes.RevokeAsync(publicId, ip, context.RequestAborted);
        LogRevoked(_logger, publicId, ip, outcome);
        return outcome switch
        {
            RevokeOutcome.Revoked => Api.Ok(),
            RevokeOutcome.AlreadyUsed => Api.Ko(409, "This one-time code was already used or revoked."),
            _ => Api.Ko(404, "No such one-time code."),
        };
    }

    private async Task<IResult> WithSignedInSession(HttpContext context, Func<SessionManager, ActiveSession, AuthenticationLevel, Task<IResult>> action)
    {
        try
        {
            var loaded = await _sessions.LoadAsync(context);
            if (loaded is not { } l)
            {
                return Api.Ko(400, "This portal address is not under a configured session cookie domain.");
            }
            var level = l.Active.Session.Level(_options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors);
            if (level < AuthenticationLevel.OneFactor)
            {
                if (l.Active.CookieRejected)
                {
                    context.Response.Headers.Append("Set-Cookie", l.Manager.BuildExpiredCookie());
                }
                return Api.Ko(403, "Forbidden");
            }
            return await action(l.Manager, l.Active, level);
        }
        catch (SessionStoreUnavailableException)
        {
            return Api.Ko(503, "The session store is unavailable. Try again shortly.");
        }
        catch (StorageException e)
        {
            // Locked or unreadable database: refuse (nothing was elevated), and say so rather than a bare 500.
            LogStorageFailed(_logger, e);
            return Api.Ko(503, "The storage is unavailable. Try again shortly.");
        }
    }

    private Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Api.KoBody>? Limited(HttpContext context, IpRateLimiter limiter, IPAddress ip, string endpoint)
    {
        if (limiter.TryAcquire(ip) is not { } wait)
        {
            return null;
        }
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        LogRateLimited(_logger, endpoint, ip, seconds);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Api.Ko(429, "Too many requests. Try again later.");
    }

    /// <summary>In the form <see cref="SessionElevation.RemoteIp"/> is stored and compared in (IPv4-mapped as IPv4).</summary>
    private string ClientIp(HttpContext context) => RegulationKeys.Ip(context.ClientIp(_proxies));

    /// <summary>
    /// The revoke page under the cookie's configured <c>authelia_url</c>, never under the request's Host header: a
    /// forged Host must not put an attacker's link into a genuine email.
    /// </summary>
    private string RevokeLink(HttpContext context, SessionManager manager, string deleteId)
    {
        var root = manager.Cookie.AutheliaUrl.Length > 0
            ? manager.Cookie.AutheliaUrl
            : $"{context.PortalScheme(_proxies)}://{context.PortalHost(_proxies)}/";
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
}
