using System.Text.Json;
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

    private static void MapPasskeyLoginEndpoints(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/firstfactor/passkey", PasskeyLoginBeginAsync);
        app.MapPost("/api/firstfactor/passkey", PasskeyLoginCompleteAsync);
        app.MapPost("/api/secondfactor/password", PasswordAfterPasskeyAsync);
    }

    /// <summary>A discoverable request (empty allowCredentials), stored in the anonymous session.</summary>
    private static async Task<IResult> PasskeyLoginBeginAsync(HttpContext context, WebAuthnEndpointServices s)
    {
        try
        {
            if (await s.Sessions.LoadAsync(context) is not { } l)
            {
                return Api.Ko(400, "This portal address is not under a configured session cookie domain.");
            }
            if (!l.Active.Session.IsAnonymous)
            {
                // As Authelia: a signed-in session logs out before it logs in as someone (or the same one) again.
                return Api.Ko(403, "Forbidden");
            }
            var rp = new RelyingParty(context.PortalHost(s.Proxies), context.PortalOrigin(s.Proxies));
            var start = (await s.Ceremonies.BeginAssertionAsync(rp, null, context.RequestAborted))!;
            l.Active.Session.WebAuthnCeremony = start.Ceremony;
            context.Response.Headers.SetCookie = await l.Manager.SaveAsync(l.Active, context.RequestAborted);
            return PublicKey(start.PublicKeyJson);
        }
        catch (SessionStoreUnavailableException)
        {
            return Api.Ko(503, "The session store is unavailable. Try again shortly.");
        }
    }

    private static async Task<IResult> PasskeyLoginCompleteAsync(HttpContext context, WebAuthnEndpointServices s, IUserProvider users, AccessControlEngine engine)
    {
        var ct = context.RequestAborted;
        try
        {
            if (await s.Sessions.LoadAsync(context) is not { } l)
            {
                return Api.Ko(400, "This portal address is not under a configured session cookie domain.");
            }
            var rp = new RelyingParty(context.PortalHost(s.Proxies), context.PortalOrigin(s.Proxies));
            var request = new PortalRequest(l.Manager, l.Active, rp, new UserDetails("", "", [], []));
            // Taken before anything can fail: a bad body burns the ceremony too.
            var ceremony = await request.TakeCeremonyAsync(context, s);
            var raw = await ReadBodyAsync(context.Request, ct);
            if (raw is null || !TryReadPasskeyLoginBody(raw, out var body))
            {
                return Api.Ko(400, "Invalid request body.");
            }

            var ip = context.ClientIp(s.Proxies);
            AssertionOutcome? outcome = null;
            UserDetails? details = null;
            // No username: the credential names its owner, so it is verified first and the owner's ban applies after.
            var check = await s.Regulated.CheckAsync(
                new CredentialAttempt(null, ip, AuthenticationTypes.Passkey, body.TargetUrl ?? "", body.RequestMethod ?? "", s.Regulated.Delays.Passkey),
                async token =>
                {
                    outcome = await s.Ceremonies.CompleteAssertionAsync(rp, null, ceremony, body.CredentialJson, token);
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
                LogPasskeyLoginRefused(s.Logger, "", ip, outcome!.Failure, outcome.Reason);
                return Api.Ko(400, NoPasskeyLoginInProgress);
            }
            if (!check.Succeeded || details is null)
            {
                LogPasskeyLoginRefused(s.Logger, check.Username, ip, outcome!.Failure,
                    check.Banned ? "banned" : details is null && outcome.Succeeded ? "user unknown or disabled" : outcome.Reason);
                // One answer for an unknown handle, another user's credential, a clone, a disabled or banned user.
                return Api.Ko(401, AuthenticationFailed);
            }

            var session = l.Active.Session;
            var now = s.Time.GetUtcNow();
            session.ResetForLogin(now);
            session.SetOneFactorPasskey(now, details, body.KeepMeLoggedIn && l.Manager.Cookie.RememberMeEnabled,
                outcome!.CrossPlatform, outcome.UserPresent, outcome.UserVerified);
            // A new id with the new level; replaces the Set-Cookie written when the ceremony was taken.
            context.Response.Headers.SetCookie = await l.Manager.RegenerateAsync(l.Active, ct);
            var level = session.Level(s.Options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors);
            LogPasskeyLoginSucceeded(s.Logger, details.Username, ip, outcome.Credential!.Id, outcome.UserVerified, (int)level);
            // With a target, its own rule decides whether this passkey is enough (passkey_uv_two_factor may differ from
            // the global switch); without one, a two-factor session gets the default redirection like the password step.
            return level == AuthenticationLevel.TwoFactor && string.IsNullOrEmpty(body.TargetUrl)
                ? FirstFactorEndpoints.RespondTwoFactor(body.TargetUrl, l.Manager, s.SafeRedirect)
                : FirstFactorEndpoints.Respond(body.TargetUrl, body.RequestMethod, details, ip, l.Manager, engine, s.SafeRedirect, s.Options,
                    session.AuthenticationMethods);
        }
        catch (SessionStoreUnavailableException)
        {
            return Api.Ko(503, "The session store is unavailable. Try again shortly.");
        }
    }

    /// <summary>
    /// The password as the second step after a passkey login. Unlike Authelia, a ban is checked here and failures
    /// count towards it: otherwise a stolen passkey would give unlimited guesses at the password.
    /// </summary>
    private static async Task<IResult> PasswordAfterPasskeyAsync(HttpContext context, WebAuthnEndpointServices s, IUserProvider users)
    {
        var ct = context.RequestAborted;
        var body = await Api.ReadAsync<SecondFactorPasswordRequest>(context.Request, ct);
        if (body is null || string.IsNullOrEmpty(body.Password) || body.Password.Length > 1024)
        {
            return Api.Ko(400, "Invalid request: 'password' is required.");
        }
        try
        {
            if (await s.Sessions.LoadAsync(context) is not { } l)
            {
                return Api.Ko(400, "This portal address is not under a configured session cookie domain.");
            }
            var session = l.Active.Session;
            var amr = session.AuthenticationMethods;
            if (session.Level(s.Options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors) < AuthenticationLevel.OneFactor)
            {
                return Api.Ko(403, "Forbidden");
            }
            if (!amr.WebAuthn || amr.FactorKnowledge)
            {
                // A password session already has the knowledge factor; this step only completes a passkey login.
                return Api.Ko(403, "The password step follows a passkey login only.");
            }

            var ip = context.ClientIp(s.Proxies);
            var username = session.Username;
            var check = await s.Regulated.CheckAsync(
                new CredentialAttempt(username, ip, AuthenticationTypes.Password, body.TargetUrl ?? "", body.RequestMethod ?? "", s.Regulated.Delays.Password),
                _ => ValueTask.FromResult(CredentialVerdict.Of(users.CheckPassword(username, body.Password))),
                ct);
            if (!check.Succeeded)
            {
                LogPasswordStepRefused(s.Logger, username, ip, check.Banned);
                return Api.Ko(401, FirstFactorEndpoints.AuthenticationFailed);
            }

            session.SetTwoFactorPassword(s.Time.GetUtcNow());
            context.Response.Headers.SetCookie = await l.Manager.RegenerateAsync(l.Active, ct);
            LogPasswordStepSucceeded(s.Logger, username, ip);
            return FirstFactorEndpoints.RespondTwoFactor(body.TargetUrl, l.Manager, s.SafeRedirect);
        }
        catch (SessionStoreUnavailableException)
        {
            return Api.Ko(503, "The session store is unavailable. Try again shortly.");
        }
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
