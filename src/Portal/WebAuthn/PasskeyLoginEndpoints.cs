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

            var started = s.Time.GetTimestamp();
            var ip = context.ClientIp(s.Proxies);
            var outcome = await s.Ceremonies.CompleteAssertionAsync(rp, null, ceremony, body.CredentialJson, ct);
            if (IsNoCeremony(outcome.Failure))
            {
                // Refused before any credential was looked at: no guess to count, and nothing to learn about users.
                LogPasskeyLoginRefused(s.Logger, "", ip, outcome.Failure, outcome.Reason);
                return Api.Ko(400, NoPasskeyLoginInProgress);
            }
            // The owner is known only once a credential verified; before that only the IP can be banned.
            var owner = outcome.Username;
            var details = outcome.Succeeded ? users.GetDetails(owner) : null;
            BanResult ban;
            bool succeeded;
            using (await s.Regulator.SerializeAsync(owner, ip, ct))
            {
                ban = await s.Regulator.BanCheckAsync(owner, ip, ct);
                succeeded = details is not null && !ban.IsBanned;
                await s.Regulator.RecordAttemptAsync(
                    new AuthenticationAttempt(succeeded, ban.IsBanned, owner, AuthenticationTypes.Passkey, ip, body.TargetUrl ?? "", body.RequestMethod ?? ""), ct);
            }
            if (!succeeded)
            {
                LogPasskeyLoginRefused(s.Logger, owner, ip, outcome.Failure, ban.IsBanned ? "banned" : details is null && outcome.Succeeded ? "user unknown or disabled" : outcome.Reason);
                await s.PasskeyDelay.WaitAsync(s.Time.GetElapsedTime(started), ct);
                // One answer for an unknown handle, another user's credential, a clone, a disabled or banned user.
                return Api.Ko(401, AuthenticationFailed);
            }
            s.PasskeyDelay.RecordSuccess(s.Time.GetElapsedTime(started));

            var session = l.Active.Session;
            var now = s.Time.GetUtcNow();
            session.ResetForLogin(now);
            session.SetOneFactorPasskey(now, details!, body.KeepMeLoggedIn && l.Manager.Cookie.RememberMeEnabled,
                outcome.CrossPlatform, outcome.UserPresent, outcome.UserVerified);
            // A new id with the new level; replaces the Set-Cookie written when the ceremony was taken.
            context.Response.Headers.SetCookie = await l.Manager.RegenerateAsync(l.Active, ct);
            var level = session.Level(s.Options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors);
            LogPasskeyLoginSucceeded(s.Logger, details!.Username, ip, outcome.Credential!.Id, outcome.UserVerified, (int)level);
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
    private static async Task<IResult> PasswordAfterPasskeyAsync(HttpContext context, WebAuthnEndpointServices s, IUserProvider users, TimingAttackDelay delay)
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

            var started = s.Time.GetTimestamp();
            var ip = context.ClientIp(s.Proxies);
            var username = session.Username;
            BanResult ban;
            bool valid;
            using (await s.Regulator.SerializeAsync(username, ip, ct))
            {
                ban = await s.Regulator.BanCheckAsync(username, ip, ct);
                // Checked even when banned, so a ban cannot be told from timing.
                valid = users.CheckPassword(username, body.Password) && !ban.IsBanned;
                await s.Regulator.RecordAttemptAsync(
                    new AuthenticationAttempt(valid, ban.IsBanned, username, AuthenticationTypes.Password, ip, body.TargetUrl ?? "", body.RequestMethod ?? ""), ct);
            }
            if (!valid)
            {
                LogPasswordStepRefused(s.Logger, username, ip, ban.IsBanned);
                await delay.WaitAsync(s.Time.GetElapsedTime(started), ct);
                return Api.Ko(401, FirstFactorEndpoints.AuthenticationFailed);
            }
            delay.RecordSuccess(s.Time.GetElapsedTime(started));

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
