using Microsoft.AspNetCore.Http.HttpResults;
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
using Portal.UserSessions;

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
        var api = app.MapApiGroup();
        api.MapGet("/secondfactor/webauthn/credentials", ListAsync).RequireSession(SessionRequirement.SignedIn);
        api.MapPut("/secondfactor/webauthn/credential/register", RegistrationBeginAsync).RequireSession(SessionRequirement.Elevated);
        api.MapPost("/secondfactor/webauthn/credential/register", RegistrationCompleteAsync).RequireSession(SessionRequirement.Elevated);
        api.MapDelete("/secondfactor/webauthn/credential/register", RegistrationCancelAsync).RequireSession(SessionRequirement.Elevated);
        api.MapPut("/secondfactor/webauthn/credential/{id}", RenameAsync).RequireSession(SessionRequirement.Elevated);
        api.MapDelete("/secondfactor/webauthn/credential/{id}", DeleteAsync).RequireSession(SessionRequirement.Elevated);
        api.MapGet("/secondfactor/webauthn", AssertionBeginAsync).RequireSession(SessionRequirement.SignedIn);
        api.MapPost("/secondfactor/webauthn", AssertionCompleteAsync).RequireSession(SessionRequirement.SignedIn);
        if (app.ServiceProvider.GetRequiredService<PortalOptions>().WebAuthn.EnablePasskeyLogin)
        {
            MapPasskeyLoginEndpoints(api);
            MapPasskeyEnrollmentEndpoints(api);
        }
        return app;
    }

    private static async Task<Ok<Api.OkBody<List<WebAuthnCredentialView>>>> ListAsync(HttpContext context, PortalSession portal, IWebAuthnCredentialStore credentials,
        TrustedProxies proxies)
    {
        var list = await credentials.ListAsync(Rp(context, proxies).Id, portal.Session.Username, context.RequestAborted);
        return Api.Ok(list.Select(c => c.ToView()).ToList());
    }

    private static async Task<Results<Ok<Api.OkBody<PublicKeyData>>, JsonHttpResult<Api.KoBody>>> RegistrationBeginAsync(HttpContext context, PortalSession portal,
        IWebAuthnCeremonies ceremonies, TrustedProxies proxies, ILogger<WebAuthnRequest> logger)
    {
        var body = await Api.ReadAsync<RegistrationRequest>(context.Request, context.RequestAborted);
        if (body is null)
        {
            return Api.Ko(400, "Invalid request body.");
        }
        var session = portal.Session;
        var user = new UserDetails(session.Username, session.DisplayName, session.Emails, session.Groups);
        var start = await ceremonies.BeginRegistrationAsync(Rp(context, proxies), user, body.Description, body.Passkey == true, context.RequestAborted);
        switch (start.Status)
        {
            case RegistrationStartStatus.InvalidDescription:
                LogInvalidName(logger, session.Username, body.Description ?? "");
                return Api.Ko(400, InvalidName);
            case RegistrationStartStatus.DuplicateDescription:
                return Api.Ko(409, DuplicateName);
        }
        session.WebAuthnCeremony = start.Start!.Ceremony;
        await SaveAsync(context, portal);
        return PublicKey(start.Start.PublicKeyJson);
    }

    private static async Task<Results<JsonHttpResult<Api.OkBody>, JsonHttpResult<Api.KoBody>>> RegistrationCompleteAsync(HttpContext context, PortalSession portal,
        IWebAuthnCeremonies ceremonies, PendingCeremonies pending, IUserEventNotifier events, TrustedProxies proxies, CredentialChangeSignOut signOut,
        Audit.AuditTrail audit, ILogger<WebAuthnRequest> logger)
    {
        var session = portal.Session;
        var ceremony = await pending.TakeAsync(context, portal);
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return Api.Ko(400, "Invalid request body.");
        }
        var outcome = await ceremonies.CompleteRegistrationAsync(Rp(context, proxies), session.Username, ceremony, body, context.RequestAborted);
        if (!outcome.Succeeded)
        {
            LogRegistrationRefused(logger, session.Username, outcome.Failure, outcome.Reason);
            return outcome.Failure switch
            {
                CeremonyFailure.DuplicateDescription => Api.Ko(409, DuplicateName),
                CeremonyFailure.DuplicateCredential => Api.Ko(409, "This security key is already registered."),
                CeremonyFailure.NotPermitted => Api.Ko(403, "This security key is not permitted here."),
                CeremonyFailure.NoCeremony or CeremonyFailure.Expired => Api.Ko(400, "No registration is in progress, or it expired. Start again."),
                _ => Api.Ko(400, "The security key's response could not be verified."),
            };
        }
        LogRegistered(logger, session.Username, outcome.Credential!.Id, outcome.Credential.Description);
        audit.CredentialAdded(session.Username, context.ClientIp(proxies).ToString(), AuditMethod, outcome.Credential.Description);
        // Mailed, so a second factor added silently by an intruder is seen.
        await events.NotifyAsync(session, UserEvent.SecondFactorAdded, $"Security key '{outcome.Credential.Description}'",
            context.ClientIp(proxies), session.CookieDomain, context.RequestAborted);
        await signOut.SecondFactorsChangedAsync(session.Username, portal.Active.Id, context.RequestAborted);
        return TypedResults.Json(new Api.OkBody(), Api.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<Ok<Api.OkBody>> RegistrationCancelAsync(HttpContext context, PortalSession portal, PendingCeremonies pending)
    {
        await pending.TakeAsync(context, portal);
        return Api.Ok();
    }

    private static async Task<Results<Ok<Api.OkBody>, JsonHttpResult<Api.KoBody>>> RenameAsync(HttpContext context, string id, PortalSession portal,
        IWebAuthnCredentialStore credentials, TrustedProxies proxies, Audit.AuditTrail audit, ILogger<WebAuthnRequest> logger)
    {
        if (!TryParseId(id, out var credentialId))
        {
            return Api.Ko(400, "Invalid credential id.");
        }
        var body = await Api.ReadAsync<DescriptionRequest>(context.Request, context.RequestAborted);
        var name = CredentialNames.Normalize(body?.Description);
        var username = portal.Session.Username;
        if (name is null)
        {
            LogInvalidName(logger, username, body?.Description ?? "");
            return Api.Ko(400, InvalidName);
        }
        var renamed = await credentials.RenameAsync(Rp(context, proxies).Id, username, credentialId, name, context.RequestAborted);
        if (renamed == CredentialWriteResult.Done)
        {
            audit.CredentialRenamed(username, context.ClientIp(proxies).ToString(), AuditMethod, name);
        }
        return renamed switch
        {
            CredentialWriteResult.Done => Api.Ok(),
            CredentialWriteResult.DuplicateDescription => Api.Ko(409, DuplicateName),
            _ => Api.Ko(404, "No such credential."),
        };
    }

    private static async Task<Results<Ok<Api.OkBody>, JsonHttpResult<Api.KoBody>>> DeleteAsync(HttpContext context, string id, PortalSession portal,
        IWebAuthnCredentialStore credentials, IUserEventNotifier events, TrustedProxies proxies, CredentialChangeSignOut signOut, Audit.AuditTrail audit,
        ILogger<WebAuthnRequest> logger)
    {
        if (!TryParseId(id, out var credentialId))
        {
            return Api.Ko(400, "Invalid credential id.");
        }
        var session = portal.Session;
        var rpId = Rp(context, proxies).Id;
        // Looked up with the owner in the key: another user's id is indistinguishable from a missing one.
        var credential = await credentials.FindAsync(rpId, session.Username, credentialId, context.RequestAborted);
        if (credential is null
            || await credentials.DeleteAsync(rpId, session.Username, credentialId, context.RequestAborted) != CredentialWriteResult.Done)
        {
            return Api.Ko(404, "No such credential.");
        }
        LogDeleted(logger, session.Username, credentialId, credential.Description);
        audit.CredentialRemoved(session.Username, context.ClientIp(proxies).ToString(), AuditMethod, credential.Description);
        await events.NotifyAsync(session, UserEvent.SecondFactorRemoved, $"Security key '{credential.Description}'",
            context.ClientIp(proxies), session.CookieDomain, context.RequestAborted);
        await signOut.SecondFactorsChangedAsync(session.Username, portal.Active.Id, context.RequestAborted);
        return Api.Ok();
    }

    private static async Task<Results<Ok<Api.OkBody<PublicKeyData>>, JsonHttpResult<Api.KoBody>>> AssertionBeginAsync(HttpContext context, PortalSession portal,
        IWebAuthnCeremonies ceremonies, TrustedProxies proxies)
    {
        var start = await ceremonies.BeginAssertionAsync(Rp(context, proxies), portal.Session.Username, context.RequestAborted);
        if (start is null)
        {
            return Api.Ko(400, "You have no security key registered.");
        }
        portal.Session.WebAuthnCeremony = start.Ceremony;
        await SaveAsync(context, portal);
        return PublicKey(start.PublicKeyJson);
    }

    private static async Task<Results<Ok<Api.OkBody>, Ok<Api.OkBody<RedirectData>>, JsonHttpResult<Api.KoBody>>> AssertionCompleteAsync(HttpContext context,
        PortalSession portal, IWebAuthnCeremonies ceremonies, PendingCeremonies pending, RegulatedCredential regulated, SafeRedirect safeRedirect,
        TrustedProxies proxies, TimeProvider time, ILogger<WebAuthnRequest> logger)
    {
        var ct = context.RequestAborted;
        var ceremony = await pending.TakeAsync(context, portal);
        var body = await ReadBodyAsync(context.Request, ct);
        if (body is null || !TryReadAssertionBody(body, out var credentialJson, out var targetUrl))
        {
            return Api.Ko(400, "Invalid request body.");
        }
        var ip = context.ClientIp(proxies);
        var rp = Rp(context, proxies);
        var username = portal.Session.Username;
        AssertionOutcome? outcome = null;
        var check = await regulated.CheckAsync(
            new CredentialAttempt(username, ip, AuthenticationTypes.WebAuthn, targetUrl ?? "", "", regulated.Delays.SecurityKey) { VerifyWhenBanned = false },
            async token =>
            {
                outcome = await ceremonies.CompleteAssertionAsync(rp, username, ceremony, credentialJson, token);
                // Nothing was checked against a credential, so it is no guess: regulation does not count it.
                return IsNoCeremony(outcome.Failure) ? CredentialVerdict.NoGuess : CredentialVerdict.Of(outcome.Succeeded);
            },
            ct);
        if (!check.Succeeded)
        {
            if (check.Banned || outcome is null)
            {
                LogAssertionRefused(logger, username, CeremonyFailure.Rejected, "banned");
                return Api.Ko(401, AuthenticationFailed);
            }
            LogAssertionRefused(logger, username, outcome.Failure, outcome.Reason);
            return check.Counted
                ? Api.Ko(outcome.Failure == CeremonyFailure.CloneWarning ? 403 : 401, AuthenticationFailed)
                : Api.Ko(400, NoAssertionInProgress);
        }
        portal.Session.SetTwoFactorWebAuthn(time.GetUtcNow(), outcome!.CrossPlatform, outcome.UserPresent, outcome.UserVerified);
        // A new id with the new level: an id known before the second factor is worthless after it.
        // Replaces the cookie set when the ceremony was taken: one Set-Cookie, with the new id.
        context.Response.Headers.SetCookie = await portal.Manager.RegenerateAsync(portal.Active, ct);
        LogAssertionSucceeded(logger, username, outcome.Credential!.Id);
        return safeRedirect.IsSafe(targetUrl) ? Api.Ok(new RedirectData(targetUrl!)) : Api.Ok();
    }

    /// <summary>The relying party: the portal host as the browser reached it, and its origin.</summary>
    private static RelyingParty Rp(HttpContext context, TrustedProxies proxies) => new(context.PortalHost(proxies), context.PortalOrigin(proxies));

    /// <summary>Stores the session; the one session Set-Cookie of the response (a later save replaces it).</summary>
    /// <summary>The audit trail's <c>Method</c> for a security key or passkey change.</summary>
    private const string AuditMethod = "webauthn";

    private static async Task SaveAsync(HttpContext context, PortalSession portal) =>
        context.Response.Headers.SetCookie = await portal.Manager.SaveAsync(portal.Active, context.RequestAborted);

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

    private static Ok<Api.OkBody<PublicKeyData>> PublicKey(string optionsJson)
    {
        using var document = JsonDocument.Parse(optionsJson);
        return Api.Ok(new PublicKeyData(document.RootElement.Clone()));
    }

    private sealed record DescriptionRequest([property: JsonPropertyName("description")] string? Description);

    /// <summary><c>passkey: true</c> asks for a discoverable credential (the enrollment offer), whatever selection_criteria say.</summary>
    private sealed record RegistrationRequest(
        [property: JsonPropertyName("description")] string? Description,
        [property: JsonPropertyName("passkey")] bool? Passkey);

    internal sealed record PublicKeyData([property: JsonPropertyName("publicKey")] JsonElement PublicKey);

    /// <summary>Log category of the WebAuthn endpoints.</summary>
    internal sealed class WebAuthnRequest;

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
