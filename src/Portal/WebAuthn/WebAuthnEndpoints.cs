using Portal.Notification;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Users;
using Portal.Configuration;
using Portal.Elevation;
using Portal.FirstFactor;
using Portal.Infrastructure;
using Portal.Regulation;
using Portal.Session;

namespace Portal.WebAuthn;

/// <summary>
/// Security keys as a second factor (Authelia §4.2): listing (1FA), registering, renaming and deleting (elevated
/// session), and the second-factor assertion (1FA). Ceremony state lives in the session and is cleared before
/// every completion attempt, so each ceremony can be completed at most once.
/// </summary>
internal static partial class WebAuthnEndpoints
{
    public const string DuplicateName = "Another one of your security keys is already registered with that display name.";
    public const string AuthenticationFailed = "Authentication failed, please retry later.";
    public const string InvalidName = "The display name must be 1 to 64 characters without control or text-direction characters.";
    public const string NoAssertionInProgress = "No security key check is in progress, or it expired. Start again.";

    /// <summary>Responses are a few kilobytes; anything bigger is not a WebAuthn response.</summary>
    private const int MaxBody = 64 * 1024;

    public static IEndpointRouteBuilder MapWebAuthnEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/secondfactor/webauthn/credentials", ListAsync);
        app.MapPut("/api/secondfactor/webauthn/credential/register", RegistrationBeginAsync);
        app.MapPost("/api/secondfactor/webauthn/credential/register", RegistrationCompleteAsync);
        app.MapDelete("/api/secondfactor/webauthn/credential/register", RegistrationCancelAsync);
        app.MapPut("/api/secondfactor/webauthn/credential/{id}", RenameAsync);
        app.MapDelete("/api/secondfactor/webauthn/credential/{id}", DeleteAsync);
        app.MapGet("/api/secondfactor/webauthn", AssertionBeginAsync);
        app.MapPost("/api/secondfactor/webauthn", AssertionCompleteAsync);
        if (app.ServiceProvider.GetRequiredService<PortalOptions>().WebAuthn.EnablePasskeyLogin)
        {
            MapPasskeyLoginEndpoints(app);
            MapPasskeyEnrollmentEndpoints(app);
        }
        return app;
    }

    private static Task<IResult> ListAsync(HttpContext context, WebAuthnEndpointServices s) =>
        WithSessionAsync(context, s, elevated: false, async r =>
        {
            var list = await s.Credentials.ListAsync(r.Rp.Id, r.Session.Username, context.RequestAborted);
            return Api.Ok(list.Select(c => c.ToView()).ToList());
        });

    private static Task<IResult> RegistrationBeginAsync(HttpContext context, WebAuthnEndpointServices s) =>
        WithSessionAsync(context, s, elevated: true, async r =>
        {
            var body = await Api.ReadAsync<RegistrationRequest>(context.Request, context.RequestAborted);
            if (body is null)
            {
                return Api.Ko(400, "Invalid request body.");
            }
            var start = await s.Ceremonies.BeginRegistrationAsync(r.Rp, r.User, body.Description, body.Passkey == true, context.RequestAborted);
            switch (start.Status)
            {
                case RegistrationStartStatus.InvalidDescription:
                    LogInvalidName(s.Logger, r.Session.Username, body.Description ?? "");
                    return Api.Ko(400, InvalidName);
                case RegistrationStartStatus.DuplicateDescription:
                    return Api.Ko(409, DuplicateName);
            }
            r.Session.WebAuthnCeremony = start.Start!.Ceremony;
            await r.SaveAsync(context);
            return PublicKey(start.Start.PublicKeyJson);
        });

    private static Task<IResult> RegistrationCompleteAsync(HttpContext context, WebAuthnEndpointServices s) =>
        WithSessionAsync(context, s, elevated: true, async r =>
        {
            var ceremony = await r.TakeCeremonyAsync(context, s);
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            if (body is null)
            {
                return Api.Ko(400, "Invalid request body.");
            }
            var outcome = await s.Ceremonies.CompleteRegistrationAsync(r.Rp, r.Session.Username, ceremony, body, context.RequestAborted);
            if (!outcome.Succeeded)
            {
                LogRegistrationRefused(s.Logger, r.Session.Username, outcome.Failure, outcome.Reason);
                return outcome.Failure switch
                {
                    CeremonyFailure.DuplicateDescription => Api.Ko(409, DuplicateName),
                    CeremonyFailure.DuplicateCredential => Api.Ko(409, "This security key is already registered."),
                    CeremonyFailure.NotPermitted => Api.Ko(403, "This security key is not permitted here."),
                    CeremonyFailure.NoCeremony or CeremonyFailure.Expired => Api.Ko(400, "No registration is in progress, or it expired. Start again."),
                    _ => Api.Ko(400, "The security key's response could not be verified."),
                };
            }
            LogRegistered(s.Logger, r.Session.Username, outcome.Credential!.Id, outcome.Credential.Description);
            await s.Events.NotifyAsync(r.Session, UserEvent.SecondFactorAdded, $"Security key '{outcome.Credential.Description}'",
                context.ClientIp(s.Proxies), r.Session.CookieDomain, context.RequestAborted);
            return Results.Json(new StatusOnly("OK"), Api.Json, statusCode: StatusCodes.Status201Created);
        });

    private static Task<IResult> RegistrationCancelAsync(HttpContext context, WebAuthnEndpointServices s) =>
        WithSessionAsync(context, s, elevated: true, async r =>
        {
            await r.TakeCeremonyAsync(context, s);
            return Api.Ok();
        });

    private static Task<IResult> RenameAsync(HttpContext context, string id, WebAuthnEndpointServices s) =>
        WithSessionAsync(context, s, elevated: true, async r =>
        {
            if (!TryParseId(id, out var credentialId))
            {
                return Api.Ko(400, "Invalid credential id.");
            }
            var body = await Api.ReadAsync<DescriptionRequest>(context.Request, context.RequestAborted);
            var name = CredentialNames.Normalize(body?.Description);
            if (name is null)
            {
                LogInvalidName(s.Logger, r.Session.Username, body?.Description ?? "");
                return Api.Ko(400, InvalidName);
            }
            return await s.Credentials.RenameAsync(r.Rp.Id, r.Session.Username, credentialId, name, context.RequestAborted) switch
            {
                CredentialWriteResult.Done => Api.Ok(),
                CredentialWriteResult.DuplicateDescription => Api.Ko(409, DuplicateName),
                _ => Api.Ko(404, "No such credential."),
            };
        });

    private static Task<IResult> DeleteAsync(HttpContext context, string id, WebAuthnEndpointServices s) =>
        WithSessionAsync(context, s, elevated: true, async r =>
        {
            if (!TryParseId(id, out var credentialId))
            {
                return Api.Ko(400, "Invalid credential id.");
            }
            // Looked up with the owner in the key: another user's id is indistinguishable from a missing one.
            var credential = await s.Credentials.FindAsync(r.Rp.Id, r.Session.Username, credentialId, context.RequestAborted);
            if (credential is null
                || await s.Credentials.DeleteAsync(r.Rp.Id, r.Session.Username, credentialId, context.RequestAborted) != CredentialWriteResult.Done)
            {
                return Api.Ko(404, "No such credential.");
            }
            LogDeleted(s.Logger, r.Session.Username, credentialId, credential.Description);
            await s.Events.NotifyAsync(r.Session, UserEvent.SecondFactorRemoved, $"Security key '{credential.Description}'",
                context.ClientIp(s.Proxies), r.Session.CookieDomain, context.RequestAborted);
            return Api.Ok();
        });

    private static Task<IResult> AssertionBeginAsync(HttpContext context, WebAuthnEndpointServices s) =>
        WithSessionAsync(context, s, elevated: false, async r =>
        {
            var start = await s.Ceremonies.BeginAssertionAsync(r.Rp, r.Session.Username, context.RequestAborted);
            if (start is null)
            {
                return Api.Ko(400, "You have no security key registered.");
            }
            r.Session.WebAuthnCeremony = start.Ceremony;
            await r.SaveAsync(context);
            return PublicKey(start.PublicKeyJson);
        });

    private static Task<IResult> AssertionCompleteAsync(HttpContext context, WebAuthnEndpointServices s) =>
        WithSessionAsync(context, s, elevated: false, async r =>
        {
            var ct = context.RequestAborted;
            var ceremony = await r.TakeCeremonyAsync(context, s);
            var body = await ReadBodyAsync(context.Request, ct);
            if (body is null || !TryReadAssertionBody(body, out var credentialJson, out var targetUrl))
            {
                return Api.Ko(400, "Invalid request body.");
            }
            var ip = context.ClientIp(s.Proxies);
            var username = r.Session.Username;
            AssertionOutcome? outcome = null;
            var check = await s.Regulated.CheckAsync(
                new CredentialAttempt(username, ip, AuthenticationTypes.WebAuthn, targetUrl ?? "", "", s.Regulated.Delays.SecurityKey) { VerifyWhenBanned = false },
                async token =>
                {
                    outcome = await s.Ceremonies.CompleteAssertionAsync(r.Rp, username, ceremony, credentialJson, token);
                    // Nothing was checked against a credential, so it is no guess: regulation does not count it.
                    return IsNoCeremony(outcome.Failure) ? CredentialVerdict.NoGuess : CredentialVerdict.Of(outcome.Succeeded);
                },
                ct);
            if (!check.Succeeded)
            {
                if (check.Banned || outcome is null)
                {
                    LogAssertionRefused(s.Logger, username, CeremonyFailure.Rejected, "banned");
                    return Api.Ko(401, AuthenticationFailed);
                }
                LogAssertionRefused(s.Logger, username, outcome.Failure, outcome.Reason);
                return check.Counted
                    ? Api.Ko(outcome.Failure == CeremonyFailure.CloneWarning ? 403 : 401, AuthenticationFailed)
                    : Api.Ko(400, NoAssertionInProgress);
            }
            r.Session.SetTwoFactorWebAuthn(s.Time.GetUtcNow(), outcome!.CrossPlatform, outcome.UserPresent, outcome.UserVerified);
            // A new id with the new level: an id known before the second factor is worthless after it.
            // Replaces the cookie set when the ceremony was taken: one Set-Cookie, with the new id.
            context.Response.Headers.SetCookie = await r.Manager.RegenerateAsync(r.Active, ct);
            LogAssertionSucceeded(s.Logger, username, outcome.Credential!.Id);
            return s.SafeRedirect.IsSafe(targetUrl) ? Api.Ok(new RedirectData(targetUrl!)) : Api.Ok();
        });

    /// <summary>
    /// Loads the portal session, enforces 1FA (or the elevated-session guard) and runs <paramref name="handler"/>;
    /// a session store outage is a 503, never a 500.
    /// </summary>
    private static async Task<IResult> WithSessionAsync(HttpContext context, WebAuthnEndpointServices s, bool elevated, Func<PortalRequest, Task<IResult>> handler)
    {
        try
        {
            var loaded = await s.Sessions.LoadAsync(context);
            if (loaded is not { } l)
            {
                return Api.Ko(400, "This portal address is not under a configured session cookie domain.");
            }
            var session = l.Active.Session;
            var rp = new RelyingParty(context.PortalHost(s.Proxies), context.PortalOrigin(s.Proxies));
            var request = new PortalRequest(l.Manager, l.Active, rp,
                new UserDetails(session.Username, session.DisplayName, session.Emails, session.Groups));
            var level = session.Level(s.Options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors);
            if (elevated)
            {
                var guard = context.RequestServices.GetRequiredService<ElevationGuard>();
                if (await guard.RefuseAsync(context, new PortalSession(l.Manager, l.Active, level)) is { } refusal)
                {
                    return refusal;
                }
            }
            else if (level < AuthenticationLevel.OneFactor)
            {
                return Api.Ko(403, "Forbidden");
            }
            return await handler(request);
        }
        catch (SessionStoreUnavailableException)
        {
            return Api.Ko(503, "The session store is unavailable. Try again shortly.");
        }
    }

    /// <summary>
    /// Authelia's UI posts <c>{"response": PublicKeyCredential, "targetURL": ...}</c>; a bare PublicKeyCredential is
    /// accepted too.
    /// </summary>
    private static bool TryReadAssertionBody(string body, out string credentialJson, out string? targetUrl)
    {
        credentialJson = body;
        targetUrl = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            if (root.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object && !root.TryGetProperty("rawId", out _))
            {
                credentialJson = response.GetRawText();
                targetUrl = root.TryGetProperty("targetURL", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBody)
        {
            return null;
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[MaxBody + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }
        return total is 0 or > MaxBody ? null : new string(buffer, 0, total);
    }

    /// <summary>
    /// The answer came without a usable ceremony (none pending, already used, of the other kind, or timed out): it was
    /// refused before any signature was checked.
    /// </summary>
    private static bool IsNoCeremony(CeremonyFailure failure) => failure is CeremonyFailure.NoCeremony or CeremonyFailure.Expired;

    private static bool TryParseId(string id, out long value) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<Api.OkBody<PublicKeyData>> PublicKey(string optionsJson)
    {
        using var document = JsonDocument.Parse(optionsJson);
        return Api.Ok(new PublicKeyData(document.RootElement.Clone()));
    }

    /// <summary>One request's session, relying party and user.</summary>
    private sealed record PortalRequest(SessionManager Manager, ActiveSession Active, RelyingParty Rp, UserDetails User)
    {
        public UserSession Session => Active.Session;

        /// <summary>Stores the session; the one session Set-Cookie of the response (a later save replaces it).</summary>
        public async Task SaveAsync(HttpContext context) =>
            context.Response.Headers.SetCookie = await Manager.SaveAsync(Active, context.RequestAborted);

        /// <summary>Removes the pending ceremony from the stored session before it is used: single use, whatever happens next.</summary>
        /// <remarks>
        /// Clearing it from the session is not enough on its own: two requests racing with one session can both
        /// read it first. The database records each ceremony's use, so exactly one of them gets it.
        /// </remarks>
        public async Task<WebAuthnCeremony?> TakeCeremonyAsync(HttpContext context, WebAuthnEndpointServices s)
        {
            var ceremony = Session.WebAuthnCeremony;
            Session.WebAuthnCeremony = null;
            await SaveAsync(context);
            // Kept a day past any ceremony's lifetime, so a used one is never forgotten while it could still verify.
            var keepFor = s.Options.WebAuthn.Timeout + TimeSpan.FromDays(1);
            return ceremony is not null
                && await s.UsedCeremonies.TryConsumeAsync(ceremony.State, s.Time.GetUtcNow(), keepFor, context.RequestAborted)
                ? ceremony
                : null;
        }
    }

    private sealed record DescriptionRequest([property: JsonPropertyName("description")] string? Description);

    /// <summary><c>passkey: true</c> asks for a discoverable credential (the enrollment offer), whatever selection_criteria say.</summary>
    private sealed record RegistrationRequest(
        [property: JsonPropertyName("description")] string? Description,
        [property: JsonPropertyName("passkey")] bool? Passkey);

    private sealed record PublicKeyData([property: JsonPropertyName("publicKey")] JsonElement PublicKey);

    private sealed record StatusOnly([property: JsonPropertyName("status")] string Status);

    private sealed record ElevationKo([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("data")] ElevationKoData Data);

    private sealed record ElevationKoData(
        [property: JsonPropertyName("elevation")] bool Elevation,
        [property: JsonPropertyName("first_factor")] bool FirstFactor,
        [property: JsonPropertyName("second_factor")] bool SecondFactor);

    // The refused name goes to the log as sent (its length capped): the text log escapes what it could hide.
    private static void LogInvalidName(ILogger logger, string username, string name) =>
        LogInvalidNameCore(logger, username, name.Length > 100 ? name[..100] : name);

    [LoggerMessage(EventId = 1520, Level = LogLevel.Information, Message = "WebAuthn key name refused for '{Username}': '{Name}'")]
    private static partial void LogInvalidNameCore(ILogger logger, string username, string name);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Information, Message = "WebAuthn registration refused for '{Username}': {Failure} ({Reason})")]
    private static partial void LogRegistrationRefused(ILogger logger, string username, CeremonyFailure failure, string reason);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Information, Message = "WebAuthn credential {Id} '{Name}' registered for {Username}")]
    private static partial void LogRegistered(ILogger logger, string username, long id, string name);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Information, Message = "WebAuthn credential {Id} '{Name}' deleted by {Username}")]
    private static partial void LogDeleted(ILogger logger, string username, long id, string name);

    [LoggerMessage(EventId = 1514, Level = LogLevel.Information, Message = "WebAuthn second factor refused for '{Username}': {Failure} ({Reason})")]
    private static partial void LogAssertionRefused(ILogger logger, string username, CeremonyFailure failure, string reason);

    [LoggerMessage(EventId = 1515, Level = LogLevel.Information, Message = "WebAuthn second factor succeeded for {Username} with credential {Id}")]
    private static partial void LogAssertionSucceeded(ILogger logger, string username, long id);
}
