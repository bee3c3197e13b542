using Microsoft.AspNetCore.Http.HttpResults;
using Portal.FirstFactor;
using Portal.Infrastructure;
using Portal.Notification;
using Portal.Regulation;
using Portal.Session;
using Portal.UserSessions;
using static Portal.Totp.TotpModels;

namespace Portal.Totp;

/// <summary>
/// TOTP as a second factor, in Authelia's routes: the user's configuration (1FA), registering and removing it (elevated
/// session, like security keys), and the code as the second factor (1FA, regulated). A secret becomes the user's only
/// once a first code from it is accepted; each code's time step is accepted once (<see cref="ITotpConfigurationStore.TryUseStepAsync"/>).
/// </summary>
internal static partial class TotpEndpoints
{
    public const string AuthenticationFailed = "Authentication failed, please retry later.";
    public const string NoTotp = "You have no one-time password app registered.";
    public const string InvalidToken = "Invalid request: 'token' is required.";
    public const string WrongRegistrationCode = "That code does not match the secret. Check the app's clock and try the next code.";

    /// <summary>How long a shown secret waits for its first code.</summary>
    public static readonly TimeSpan RegistrationLifespan = TimeSpan.FromMinutes(10);

    public static IEndpointRouteBuilder MapTotpEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();
        api.MapGet("/secondfactor/totp", GetAsync).RequireSession(SessionRequirement.SignedIn);
        api.MapDelete("/secondfactor/totp", DeleteAsync).RequireSession(SessionRequirement.Elevated);
        api.MapGet("/secondfactor/totp/register", RegistrationOptionsOf).RequireSession(SessionRequirement.SignedIn);
        api.MapPut("/secondfactor/totp/register", RegistrationBeginAsync).RequireSession(SessionRequirement.Elevated);
        api.MapPost("/secondfactor/totp/register", RegistrationCompleteAsync)
            .RequireBody<CodeRequest>(b => IsToken(b.Token), InvalidToken)
            .RequireSession(SessionRequirement.Elevated);
        api.MapDelete("/secondfactor/totp/register", RegistrationCancelAsync).RequireSession(SessionRequirement.Elevated);
        api.MapPost("/secondfactor/totp", SecondFactorAsync)
            .RequireBody<CodeRequest>(b => IsToken(b.Token), InvalidToken)
            .RequireSession(SessionRequirement.SignedIn);
        return app;
    }

    private static async Task<Results<Ok<Api.OkBody<ConfigurationView>>, JsonHttpResult<Api.KoBody>>> GetAsync(HttpContext context, PortalSession portal,
        ITotpConfigurationStore store)
    {
        var found = await store.FindAsync(portal.Session.Username, context.RequestAborted);
        return found is null
            ? Api.Ko(404, NoTotp)
            : Api.Ok(new ConfigurationView(found.CreatedAt, found.LastUsedAt, found.Issuer, found.Algorithm, found.Digits, found.Period));
    }

    private static Ok<Api.OkBody<RegistrationOptions>> RegistrationOptionsOf(TotpOptions options) =>
        Api.Ok(new RegistrationOptions(TotpAlgorithms.Normalize(options.Algorithm)!, options.Digits, options.Period,
            TotpValidator.Algorithms(options), TotpValidator.Digits(options), TotpValidator.Periods(options)));

    private static async Task<Results<Ok<Api.OkBody<RegistrationStarted>>, JsonHttpResult<Api.KoBody>>> RegistrationBeginAsync(HttpContext context,
        PortalSession portal, TotpOptions options, TimeProvider time, ILogger<TotpRequest> logger)
    {
        // An empty body takes every default.
        var body = context.Request.ContentLength is null or 0 ? new RegistrationRequest(null, null, null)
            : await Api.ReadAsync<RegistrationRequest>(context.Request, context.RequestAborted);
        if (body is null)
        {
            return Api.Ko(400, "Invalid request body.");
        }
        var algorithm = TotpAlgorithms.Normalize(body.Algorithm ?? options.Algorithm);
        var digits = body.Length ?? options.Digits;
        var period = body.Period ?? options.Period;
        if (algorithm is null || !TotpValidator.Algorithms(options).Contains(algorithm)
            || !TotpValidator.Digits(options).Contains(digits) || !TotpValidator.Periods(options).Contains(period))
        {
            LogRegistrationChoiceRefused(logger, portal.Session.Username, body.Algorithm ?? "", digits, period);
            return Api.Ko(400, "That algorithm, length or period is not allowed here.");
        }
        var session = portal.Session;
        var secret = TotpCodes.ToBase32(TotpCodes.NewSecret(options.SecretSize));
        session.TotpRegistration = new TotpRegistration
        {
            Secret = secret, Issuer = options.Issuer, Algorithm = algorithm, Digits = digits, Period = period, CreatedAt = time.GetUtcNow(),
        };
        await SaveAsync(context, portal);
        var uri = TotpCodes.OtpAuthUri(options.Issuer, session.Username, secret, algorithm, digits, period);
        return Api.Ok(new RegistrationStarted(secret, uri, TotpCodes.QrCodeDataUri(uri)));
    }

    private static async Task<Results<JsonHttpResult<Api.OkBody>, JsonHttpResult<Api.KoBody>>> RegistrationCompleteAsync(HttpContext context,
        JsonBody<CodeRequest> body, PortalSession portal, TotpOptions options, ITotpConfigurationStore store, IUserEventNotifier events,
        TrustedProxies proxies, CredentialChangeSignOut signOut, TimeProvider time, ILogger<TotpRequest> logger)
    {
        var session = portal.Session;
        var now = time.GetUtcNow();
        if (session.TotpRegistration is not { } pending || now - pending.CreatedAt > RegistrationLifespan)
        {
            return Api.Ko(400, "No registration is in progress, or it expired. Start again.");
        }
        var secret = TotpCodes.FromBase32(pending.Secret)!;
        if (TotpCodes.MatchStep(secret, pending.Algorithm, pending.Digits, pending.Period, options.Skew, body.Value.Token, now) is not { } step)
        {
            // The secret stays pending: the user may have typed the code badly, or the app's clock may be off.
            LogRegistrationCodeRefused(logger, session.Username);
            return Api.Ko(400, WrongRegistrationCode);
        }
        // The confirming code's step is recorded as used: it cannot then pass the second factor too.
        await store.SaveAsync(new TotpConfiguration(0, session.Username, pending.Issuer, pending.Algorithm, pending.Digits, pending.Period, secret,
            now, now, step), context.RequestAborted);
        session.TotpRegistration = null;
        await SaveAsync(context, portal);
        LogRegistered(logger, session.Username, pending.Algorithm, pending.Digits, pending.Period);
        // Mailed, so a second factor added silently by an intruder is seen.
        await events.NotifyAsync(session, UserEvent.SecondFactorAdded, "One-time password app", context.ClientIp(proxies), session.CookieDomain,
            context.RequestAborted);
        await signOut.SecondFactorsChangedAsync(session.Username, portal.Active.Id, context.RequestAborted);
        return TypedResults.Json(new Api.OkBody(), Api.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<Ok<Api.OkBody>> RegistrationCancelAsync(HttpContext context, PortalSession portal)
    {
        if (portal.Session.TotpRegistration is not null)
        {
            portal.Session.TotpRegistration = null;
            await SaveAsync(context, portal);
        }
        return Api.Ok();
    }

    private static async Task<Results<Ok<Api.OkBody>, JsonHttpResult<Api.KoBody>>> DeleteAsync(HttpContext context, PortalSession portal,
        ITotpConfigurationStore store, IUserEventNotifier events, TrustedProxies proxies, CredentialChangeSignOut signOut, ILogger<TotpRequest> logger)
    {
        var session = portal.Session;
        if (!await store.DeleteAsync(session.Username, context.RequestAborted))
        {
            return Api.Ko(404, NoTotp);
        }
        LogDeleted(logger, session.Username);
        await events.NotifyAsync(session, UserEvent.SecondFactorRemoved, "One-time password app", context.ClientIp(proxies), session.CookieDomain,
            context.RequestAborted);
        await signOut.SecondFactorsChangedAsync(session.Username, portal.Active.Id, context.RequestAborted);
        return Api.Ok();
    }

    /// <summary>
    /// The code as the second factor, through <see cref="RegulatedCredential"/>: a banned user's code is not checked
    /// (checking writes its step) and gets the wrong code's answer; a code of a step already used is a wrong code.
    /// </summary>
    private static async Task<Results<Ok<Api.OkBody>, Ok<Api.OkBody<RedirectData>>, JsonHttpResult<Api.KoBody>>> SecondFactorAsync(HttpContext context,
        JsonBody<CodeRequest> body, PortalSession portal, TotpOptions options, ITotpConfigurationStore store, RegulatedCredential regulated,
        SafeRedirect safeRedirect, TrustedProxies proxies, TimeProvider time, ILogger<TotpRequest> logger)
    {
        var ct = context.RequestAborted;
        var username = portal.Session.Username;
        // Read before the regulated check, so a ban and a wrong code take the same path up to the answer.
        var configuration = await store.FindAsync(username, ct);
        if (configuration is null)
        {
            return Api.Ko(400, NoTotp);
        }
        var (token, targetUrl) = (body.Value.Token, body.Value.TargetUrl);
        var reason = "wrong code";
        var check = await regulated.CheckAsync(
            new CredentialAttempt(username, context.ClientIp(proxies), AuthenticationTypes.Totp, targetUrl ?? "", "", regulated.Delays.Totp)
            {
                VerifyWhenBanned = false,
            },
            async cancellationToken =>
            {
                var now = time.GetUtcNow();
                if (TotpCodes.MatchStep(configuration.Secret, configuration.Algorithm, configuration.Digits, configuration.Period, options.Skew, token, now)
                    is not { } step)
                {
                    return CredentialVerdict.Wrong;
                }
                if (!await store.TryUseStepAsync(configuration.Id, step, now, options.DisableReuseSecurityPolicy, cancellationToken))
                {
                    reason = "code already used";
                    return CredentialVerdict.Wrong;
                }
                return CredentialVerdict.Right;
            },
            ct);
        if (!check.Succeeded)
        {
            LogRefused(logger, username, check.Banned ? "banned" : reason);
            return Api.Ko(401, AuthenticationFailed);
        }
        portal.Session.SetTwoFactorTotp(time.GetUtcNow());
        // A new id with the new level: an id known before the second factor is worthless after it.
        context.Response.Headers.SetCookie = await portal.Manager.RegenerateAsync(portal.Active, ct);
        LogSucceeded(logger, username);
        return safeRedirect.IsSafe(targetUrl) ? Api.Ok(new RedirectData(targetUrl!)) : Api.Ok();
    }

    /// <summary>A code as typed: digits only, and no longer than any app shows, before anything else looks at it.</summary>
    private static bool IsToken(string? token) => token is { Length: > 0 and <= 10 } && token.All(char.IsAsciiDigit);

    /// <summary>Stores the session; the one session Set-Cookie of the response.</summary>
    private static async Task SaveAsync(HttpContext context, PortalSession portal) =>
        context.Response.Headers.SetCookie = await portal.Manager.SaveAsync(portal.Active, context.RequestAborted);

    /// <summary>Log category of the TOTP endpoints.</summary>
    internal sealed class TotpRequest;

    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "TOTP registration choice refused for {Username}: '{Algorithm}', {Digits} digits, {Period} s")]
    private static partial void LogRegistrationChoiceRefused(ILogger logger, string username, string algorithm, int digits, int period);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "TOTP registration code refused for {Username}")]
    private static partial void LogRegistrationCodeRefused(ILogger logger, string username);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "TOTP registered for {Username} ({Algorithm}, {Digits} digits, {Period} s)")]
    private static partial void LogRegistered(ILogger logger, string username, string algorithm, int digits, int period);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Information, Message = "TOTP removed by {Username}")]
    private static partial void LogDeleted(ILogger logger, string username);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Information, Message = "TOTP second factor refused for '{Username}': {Reason}")]
    private static partial void LogRefused(ILogger logger, string username, string reason);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Information, Message = "TOTP second factor succeeded for {Username}")]
    private static partial void LogSucceeded(ILogger logger, string username);
}
