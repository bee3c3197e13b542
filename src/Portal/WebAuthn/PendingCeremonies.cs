using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Session;

namespace Portal.WebAuthn;

/// <summary>The WebAuthn ceremony pending in a session, taken for exactly one completion attempt.</summary>
internal sealed class PendingCeremonies(IUsedCeremonyStore usedCeremonies, PortalOptions options, TimeProvider time)
{
    /// <summary>
    /// Removes the pending ceremony from the stored session before it is used (the response's one session
    /// Set-Cookie; a later save replaces it): single use, whatever happens next.
    /// </summary>
    /// <remarks>
    /// Clearing it from the session is not enough on its own: two requests racing with one session can both
    /// read it first. The database records each ceremony's use, so exactly one of them gets it.
    /// </remarks>
    public async Task<WebAuthnCeremony?> TakeAsync(HttpContext context, PortalSession portal)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(portal);
        var ceremony = portal.Session.WebAuthnCeremony;
        portal.Session.WebAuthnCeremony = null;
        context.Response.Headers.SetCookie = await portal.Manager.SaveAsync(portal.Active, context.RequestAborted);
        // Kept a day past any ceremony's lifetime, so a used one is never forgotten while it could still verify.
        var keepFor = options.WebAuthn.Timeout + TimeSpan.FromDays(1);
        return ceremony is not null
            && await usedCeremonies.TryConsumeAsync(ceremony.State, time.GetUtcNow(), keepFor, context.RequestAborted)
            ? ceremony
            : null;
    }
}
