using System.Text.Json.Serialization;
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
    private static void MapPasskeyEnrollmentEndpoints(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/passkey/enrollment", EnrollmentOfferAsync);
        app.MapPost("/api/passkey/enrollment/snooze", EnrollmentSnoozeAsync);
    }

    private static Task<IResult> EnrollmentOfferAsync(HttpContext context, WebAuthnEndpointServices s) =>
        WithSessionAsync(context, s, elevated: false, async r =>
        {
            var offer = s.Options.WebAuthn.PasskeyEnrollment == "offer"
                && !(await s.Credentials.ListAsync(r.Rp.Id, r.Session.Username, context.RequestAborted)).Any(c => c.Discoverable)
                && !(await s.OfferSnoozes.SnoozedUntilAsync(r.Session.Username, context.RequestAborted) > s.Time.GetUtcNow());
            return Api.Ok(new EnrollmentOffer(offer));
        });

    private static Task<IResult> EnrollmentSnoozeAsync(HttpContext context, WebAuthnEndpointServices s) =>
        WithSessionAsync(context, s, elevated: false, async r =>
        {
            await s.OfferSnoozes.SnoozeAsync(r.Session.Username, s.Time.GetUtcNow() + s.Options.WebAuthn.PasskeyEnrollmentSnooze, context.RequestAborted);
            return Api.Ok();
        });

    private sealed record EnrollmentOffer([property: JsonPropertyName("offer")] bool Offer);
}
