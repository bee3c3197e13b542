using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Elevation;
using Portal.FirstFactor;
using Portal.Infrastructure;
using Portal.Notification;
using Portal.Regulation;
using Portal.Session;

namespace Portal.RecoveryCodes;

/// <summary>
/// Recovery codes (beyond Authelia, authelia#1319): <c>GET /api/secondfactor/recovery-codes</c> (how many are left),
/// <c>POST</c> the same path (a new set of <see cref="RecoveryCodeFormat.PerSet"/>, replacing the old; elevated, and
/// only for a user with a second factor; shown once), and <c>POST /api/secondfactor/recovery-code</c> (one code in
/// place of the second factor: regulated like any credential, used once, the session id regenerated, the user
/// emailed with the count left). A code raises the session to two factors but grants no elevation.
/// </summary>
internal static partial class RecoveryCodeEndpoints
{
    private const string Refused = "The recovery code is not valid, or was already used.";

    /// <summary>A refusal waits this long, so trying codes is slow even before regulation bans.</summary>
    private static readonly FailureDelay FailureDelay = FailureDelay.AtLeast(TimeSpan.FromMilliseconds(250));

    public static IEndpointRouteBuilder MapRecoveryCodeEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapApiGroup();
        api.MapGet("/secondfactor/recovery-codes", CountAsync).RequireSession(SessionRequirement.SignedIn);
        api.MapPost("/secondfactor/recovery-codes", GenerateAsync).RequireSession(SessionRequirement.Elevated);
        api.MapPost("/secondfactor/recovery-code", UseAsync)
            .RequireBody<RecoveryCodeRequest>(b => b.Code is { Length: > 0 and <= 64 }, "Invalid request: 'code' is required.")
            .RequireSession(SessionRequirement.SignedIn);
        return app;
    }

    private static async Task<Ok<Api.OkBody<RecoveryCodeState>>> CountAsync(HttpContext context, PortalSession portal, IRecoveryCodeStore codes) =>
        Api.Ok(new RecoveryCodeState(await codes.CountUnusedAsync(portal.Session.Username, context.RequestAborted)));

    private static async Task<Results<Ok<Api.OkBody<RecoveryCodeSet>>, JsonHttpResult<Api.KoBody>>> GenerateAsync(HttpContext context, PortalSession portal,
        IRecoveryCodeStore codes, IEnumerable<IUserSecondFactors> secondFactors, IUserEventNotifier events, TrustedProxies proxies, TimeProvider time,
        ILogger<RecoveryCodeRequest> logger)
    {
        var session = portal.Session;
        var ct = context.RequestAborted;
        if (!await secondFactors.HasAnyAsync(session.Username, ct))
        {
            return Api.Ko(403, "Register a security key or a one-time password app first: recovery codes stand in for a second factor you have lost.");
        }
        var set = Enumerable.Range(0, RecoveryCodeFormat.PerSet).Select(_ => RecoveryCodeFormat.Generate()).ToList();
        await codes.ReplaceAsync(session.Username, set, time.GetUtcNow(), ct);
        LogGenerated(logger, session.Username, set.Count);
        await events.NotifyAsync(session, UserEvent.SecondFactorAdded,
            string.Create(CultureInfo.InvariantCulture, $"{set.Count} new recovery codes (any earlier ones no longer work)"),
            context.ClientIp(proxies), portal.Manager.Cookie.Domain, ct);
        return Api.Ok(new RecoveryCodeSet(set));
    }

    private static async Task<Results<Ok<Api.OkBody<RecoveryCodeState>>, JsonHttpResult<Api.KoBody>>> UseAsync(HttpContext context, PortalSession portal,
        JsonBody<RecoveryCodeRequest> body, IRecoveryCodeStore codes, RegulatedCredential regulated, IUserEventNotifier events, SafeRedirect safeRedirect,
        TrustedProxies proxies, TimeProvider time, ILogger<RecoveryCodeRequest> logger)
    {
        var session = portal.Session;
        var username = session.Username;
        var ip = context.ClientIp(proxies);
        var ct = context.RequestAborted;
        var targetUrl = body.Value.TargetUrl;
        var code = RecoveryCodeFormat.Canonical(body.Value.Code);
        var check = await regulated.CheckAsync(
            // Not verified while banned: verifying uses the code up.
            new CredentialAttempt(username, ip, AuthenticationTypes.RecoveryCode, targetUrl ?? "", "", FailureDelay) { VerifyWhenBanned = false },
            async token => CredentialVerdict.Of(code is not null && await codes.TryUseAsync(username, code, time.GetUtcNow(), token)),
            ct);
        if (!check.Succeeded)
        {
            LogRefused(logger, username, ip, check.Banned);
            return Api.Ko(401, Refused);
        }
        session.SetTwoFactorRecoveryCode(time.GetUtcNow());
        // A new id with the new level: an id known before the second factor is worthless after it.
        context.Response.Headers.SetCookie = await portal.Manager.RegenerateAsync(portal.Active, ct);
        var remaining = await codes.CountUnusedAsync(username, ct);
        LogUsed(logger, username, ip, remaining);
        await events.NotifyAsync(session, UserEvent.RecoveryCodeUsed,
            string.Create(CultureInfo.InvariantCulture, $"A recovery code was used to sign in; {remaining} left"), ip, portal.Manager.Cookie.Domain, ct);
        return Api.Ok(new RecoveryCodeState(remaining, safeRedirect.IsSafe(targetUrl) ? targetUrl : null));
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "{Username} generated {Count} recovery codes")]
    private static partial void LogGenerated(ILogger logger, string username, int count);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "{Username} passed the second factor with a recovery code from {Ip}; {Remaining} left")]
    private static partial void LogUsed(ILogger logger, string username, IPAddress ip, int remaining);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Recovery code refused for {Username} from {Ip} (banned: {Banned})")]
    private static partial void LogRefused(ILogger logger, string username, IPAddress ip, bool banned);
}
