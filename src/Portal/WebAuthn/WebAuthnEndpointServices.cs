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

/// <summary>What every WebAuthn endpoint needs, resolved once.</summary>
internal sealed class WebAuthnEndpointServices(
    PortalOptions options,
    PortalSessions sessions,
    TrustedProxies proxies,
    IWebAuthnCeremonies ceremonies,
    IWebAuthnCredentialStore credentials,
    IUsedCeremonyStore usedCeremonies,
    IUserEventNotifier events,
    RegulatedCredential regulated,
    SafeRedirect safeRedirect,
    IPasskeyOfferStore offerSnoozes,
    TimeProvider time,
    ILogger<WebAuthnEndpointServices> logger)
{
    public PortalOptions Options { get; } = options;
    public PortalSessions Sessions { get; } = sessions;
    public TrustedProxies Proxies { get; } = proxies;
    public IWebAuthnCeremonies Ceremonies { get; } = ceremonies;
    public IWebAuthnCredentialStore Credentials { get; } = credentials;
    public IUsedCeremonyStore UsedCeremonies { get; } = usedCeremonies;
    /// <summary>Mails the user when a credential is added or removed, so a silent change by an intruder is seen.</summary>
    public IUserEventNotifier Events { get; } = events;
    /// <summary>Ban check, verify, record and failure delay of the three WebAuthn-side sign-in paths.</summary>
    public RegulatedCredential Regulated { get; } = regulated;
    public SafeRedirect SafeRedirect { get; } = safeRedirect;
    public IPasskeyOfferStore OfferSnoozes { get; } = offerSnoozes;
    public TimeProvider Time { get; } = time;
    public ILogger Logger { get; } = logger;
}
