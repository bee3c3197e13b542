using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Configuration;
using Portal.Users;
using Portal.AccessControl;
using Portal.FirstFactor;
using Portal.Infrastructure;
using Portal.Regulation;
using Portal.Session;

namespace Portal.WebAuthn;

/// <summary>
/// Passkey login (Authelia §3.3) and the password after it (§3.4), mapped only with
/// <c>webauthn.enable_passkey_login</c>. A passkey alone is one factor; with
/// <c>experimental_enable_passkey_uv_two_factors</c> an assertion whose own UV flag is set counts as two.
/// Both paths are regulated like the password form, and every refusal of a login attempt looks the same.
/// </summary>
internal static partial class WebAuthnEndpoints
{
    public const string NoPasskeyLoginInProgress = "No passkey sign-in is in progress, or it expired. Start again.";

    private static void MapPasskeyLoginEndpoints(RouteGroupBuilder api)
    {
        // As Authelia: a signed-in session logs out before it logs in as someone (or the same one) again.
        api.MapGet("/firstfactor/passkey", PasskeyLoginBeginAsync).RequireSession(SessionRequirement.Anonymous);
        api.MapPost("/firstfactor/passkey", PasskeyLoginCompleteAsync).RequireSession(SessionRequirement.Any);
        api.MapPost("/secondfactor/password", PasswordAfterPasskeyAsync)
            .RequireBody<SecondFactorPasswordRequest>(b => !string.IsNullOrEmpty(b.Password) && b.Password.Length <= 1024, "Invalid request: 'password' is required.")
            .RequireSession(SessionRequirement.SignedIn);
    }

    /// <summary>A discoverable request (empty allowCredentials), stored in the anonymous session.</summary>
    private static async Task<Ok<Api.OkBody<PublicKeyData>>> PasskeyLoginBeginAsync(HttpContext context, PortalSession portal, IWebAuthnCeremonies ceremonies,
        TrustedProxies proxies)
    {
        var start = (await ceremonies.BeginAssertionAsync(Rp(context, proxies), null, context.RequestAborted))!;
        portal.Session.WebAuthnCeremony = start.Ceremony;
        await SaveAsync(context, portal);
        return PublicKey(start.PublicKeyJson);
    }

    private static async Task<Results<Ok<Api.OkBody>, Ok<Api.OkBody<RedirectData>>, JsonHttpResult<Api.KoBody>>> PasskeyLoginCompleteAsync(HttpContext context,
        PortalSession portal, IWebAuthnCeremonies ceremonies, PendingCeremonies pending, RegulatedCredential regulated, IUserProvider users,
        AccessControlEngine engine, SafeRedirect safeRedirect, PortalOptions options, TrustedProxies proxies, TimeProvider time, ILogger<WebAuthnRequest> logger)
    {
        var ct = context.RequestAborted;
        var rp = Rp(context, proxies);
        // Taken before anything can fail: a bad body burns the ceremony too.
        var ceremony = await pending.TakeAsync(context, portal);
        var raw = await ReadBodyAsync(context.Request, ct);
        if (raw is null || !TryReadPasskeyLoginBody(raw, out var body))
        {
            return Api.Ko(400, "Invalid request body.");
        }

        var ip = context.ClientIp(proxies);
        AssertionOutcome? outcome = null;
        UserDetails? details = null;
        // No username: the credential names its owner, so it is verified first and the owner's ban applies after.
        var check = await regulated.CheckAsync(
            new CredentialAttempt(null, ip, AuthenticationTypes.Passkey, body.TargetUrl ?? "", body.RequestMethod ?? "", regulated.Delays.Passkey),
            async token =>
            {
                outcome = await ceremonies.CompleteAssertionAsync(rp, null, ceremony, body.CredentialJson, token);
                if (IsNoCeremony(outcome.Failure))
                {
                    // Refused before any credential was looked at: no guess to count, and nothing to learn about users.
                    return CredentialVerdict.NoGuess;
                }
                details = outcome.Succeeded ? users.GetDetails(outcome.Username) : null;
                return new CredentialVerdict(details is not null, Owner: outcome.Username);
            },
            ct);
        if (!check.Counted)
        {
            LogPasskeyLoginRefused(logger, "", ip, outcome!.Failure, outcome.Reason);
            return Api.Ko(400, NoPasskeyLoginInProgress);
        }
        if (!check.Succeeded || details is null)
        {
            LogPasskeyLoginRefused(logger, check.Username, ip, outcome!.Failure,
                check.Banned ? "banned" : details is null && outcome.Succeeded ? "user unknown or disabled" : outcome.Reason);
            // One answer for an unknown handle, another user's credential, a clone, a disabled or banned user.
            return Api.Ko(401, AuthenticationFailed);
        }

        var session = portal.Session;
        var manager = portal.Manager;
        var now = time.GetUtcNow();
        session.ResetForLogin(now);
        session.SetOneFactorPasskey(now, details, body.KeepMeLoggedIn && manager.Cookie.RememberMeEnabled,
            outcome!.CrossPlatform, outcome.UserPresent, outcome.UserVerified);
        session.RecordSignIn(ip.ToString(), context.Request.Headers.UserAgent);
        // A new id with the new level; replaces the Set-Cookie written when the ceremony was taken.
        context.Response.Headers.SetCookie = await manager.SignInAsync(portal.Active, ct);
        var level = session.Level(options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors);
        LogPasskeyLoginSucceeded(logger, details.Username, ip, outcome.Credential!.Id, outcome.UserVerified, (int)level);
        // With a target, its own rule decides whether this passkey is enough (passkey_uv_two_factor may differ from
        // the global switch); without one, a two-factor session gets the default redirection like the password step.
        return level == AuthenticationLevel.TwoFactor && string.IsNullOrEmpty(body.TargetUrl)
            ? FirstFactorEndpoints.RespondTwoFactor(body.TargetUrl, manager, safeRedirect)
            : FirstFactorEndpoints.Respond(body.TargetUrl, body.RequestMethod, details, ip, manager, engine, safeRedirect, options,
                session.AuthenticationMethods);
    }

    /// <summary>
    /// The password as the second step after a passkey login. Unlike Authelia, a ban is checked here and failures
    /// count towards it: otherwise a stolen passkey would give unlimited guesses at the password.
    /// </summary>
    private static async Task<Results<Ok<Api.OkBody>, Ok<Api.OkBody<RedirectData>>, JsonHttpResult<Api.KoBody>>> PasswordAfterPasskeyAsync(HttpContext context,
        JsonBody<SecondFactorPasswordRequest> body, PortalSession portal, RegulatedCredential regulated, IUserProvider users, SafeRedirect safeRedirect,
        TrustedProxies proxies, TimeProvider time, ILogger<WebAuthnRequest> logger)
    {
        var ct = context.RequestAborted;
        var session = portal.Session;
        var amr = session.AuthenticationMethods;
        if (!amr.WebAuthn || amr.FactorKnowledge)
        {
            // A password session already has the knowledge factor; this step only completes a passkey login.
            return Api.Ko(403, "The password step follows a passkey login only.");
        }

        var ip = context.ClientIp(proxies);
        var username = session.Username;
        var (password, targetUrl, requestMethod) = (body.Value.Password!, body.Value.TargetUrl, body.Value.RequestMethod);
        var check = await regulated.CheckAsync(
            new CredentialAttempt(username, ip, AuthenticationTypes.Password, targetUrl ?? "", requestMethod ?? "", regulated.Delays.Password),
            _ => ValueTask.FromResult(CredentialVerdict.Of(users.CheckPassword(username, password))),
            ct);
        if (!check.Succeeded)
        {
            LogPasswordStepRefused(logger, username, ip, check.Banned);
            return Api.Ko(401, FirstFactorEndpoints.AuthenticationFailed);
        }

        session.SetTwoFactorPassword(time.GetUtcNow());
        context.Response.Headers.SetCookie = await portal.Manager.RegenerateAsync(portal.Active, ct);
        LogPasswordStepSucceeded(logger, username, ip);
        return FirstFactorEndpoints.RespondTwoFactor(targetUrl, portal.Manager, safeRedirect);
    }

    private sealed record PasskeyLoginBody(string CredentialJson, bool KeepMeLoggedIn, string? TargetUrl, string? RequestMethod);

    /// <summary>Authelia's shape: <c>{"response": PublicKeyCredential, "keepMeLoggedIn", "targetURL", "requestMethod"}</c>.</summary>
    private static bool TryReadPasskeyLoginBody(string raw, out PasskeyLoginBody body)
    {
        body = null!;
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("response", out var response) || response.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var keep = root.TryGetProperty("keepMeLoggedIn", out var k) && k.ValueKind == JsonValueKind.True;
            body = new PasskeyLoginBody(response.GetRawText(), keep, Text("targetURL"), Text("requestMethod"));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1516, Level = LogLevel.Information, Message = "Passkey login refused (user '{Username}', from {Ip}): {Failure} ({Reason})")]
    private static partial void LogPasskeyLoginRefused(ILogger logger, string username, System.Net.IPAddress ip, CeremonyFailure failure, string reason);

    [LoggerMessage(EventId = 1517, Level = LogLevel.Information, Message = "Passkey login succeeded for {Username} from {Ip} with credential {Id} (UV {UserVerified}, level {Level})")]
    private static partial void LogPasskeyLoginSucceeded(ILogger logger, string username, System.Net.IPAddress ip, long id, bool userVerified, int level);

    [LoggerMessage(EventId = 1518, Level = LogLevel.Information, Message = "Password after passkey failed for {Username} from {Ip} (banned: {Banned})")]
    private static partial void LogPasswordStepRefused(ILogger logger, string username, System.Net.IPAddress ip, bool banned);

    [LoggerMessage(EventId = 1519, Level = LogLevel.Information, Message = "Password after passkey succeeded for {Username} from {Ip}")]
    private static partial void LogPasswordStepSucceeded(ILogger logger, string username, System.Net.IPAddress ip);
}
