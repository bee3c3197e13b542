using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.WebAuthn;

/// <summary>
/// Progressive enrollment (beyond Authelia; WSO2 does the same): after a password sign-in, a user with no passkey is
/// offered one (<c>webauthn.passkey_enrollment: offer</c>). Creating it is an ordinary registration with a
/// discoverable credential required, so it needs the same elevated session as any other; "Not now" is remembered
/// for <c>passkey_enrollment_snooze</c>.
/// </summary>
internal static partial class WebAuthnEndpoints
{
    private static void MapPasskeyEnrollmentEndpoints(RouteGroupBuilder api)
    {
        api.MapGet("/passkey/enrollment", EnrollmentOfferAsync).RequireSession(SessionRequirement.SignedIn);
        api.MapPost("/passkey/enrollment/snooze", EnrollmentSnoozeAsync).RequireSession(SessionRequirement.SignedIn);
    }

    private static async Task<Ok<Api.OkBody<EnrollmentOffer>>> EnrollmentOfferAsync(HttpContext context, PortalSession portal, PortalOptions options,
        IWebAuthnCredentialStore credentials, IPasskeyOfferStore offerSnoozes, TrustedProxies proxies, TimeProvider time)
    {
        var username = portal.Session.Username;
        var offer = options.WebAuthn.PasskeyEnrollment == "offer"
            && !(await credentials.ListAsync(Rp(context, proxies).Id, username, context.RequestAborted)).Any(c => c.Discoverable)
            && !(await offerSnoozes.SnoozedUntilAsync(username, context.RequestAborted) > time.GetUtcNow());
        return Api.Ok(new EnrollmentOffer(offer));
    }

    private static async Task<Ok<Api.OkBody>> EnrollmentSnoozeAsync(HttpContext context, PortalSession portal, PortalOptions options,
        IPasskeyOfferStore offerSnoozes, TimeProvider time)
    {
        await offerSnoozes.SnoozeAsync(portal.Session.Username, time.GetUtcNow() + options.WebAuthn.PasskeyEnrollmentSnooze, context.RequestAborted);
        return Api.Ok();
    }

    internal sealed record EnrollmentOffer([property: JsonPropertyName("offer")] bool Offer);
}
