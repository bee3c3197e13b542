using System.ComponentModel;
using Portal.Configuration;

namespace Portal.WebAuthn;

internal sealed class WebAuthnOptions
{
    [Description("Turn off security keys and passkeys entirely.")]
    public bool Disable { get; init; }
    [Description("Allow signing in with a passkey (discoverable credential) instead of username and password; it counts as one factor.")]
    public bool EnablePasskeyLogin { get; init; }
    [ConfigKey("experimental_enable_passkey_uv_two_factors")]
    [Description("EXPERIMENTAL: a passkey assertion with user verification (PIN or biometric) counts as two factors. Requires enable_passkey_login.")]
    public bool ExperimentalEnablePasskeyUvTwoFactors { get; init; }
    [Description("EXPERIMENTAL: accept credentials recorded as non-discoverable for passkey login; one that works is then marked discoverable.")]
    public bool ExperimentalEnablePasskeyUpgrade { get; init; }
    [Description("The relying party's name shown by authenticators.")]
    public string DisplayName { get; init; } = "Portal";
    [Description("How much attestation to ask for; whatever comes back is verified.")]
    [ConfigValues("none", "indirect", "direct", "enterprise")]
    public string AttestationConveyancePreference { get; init; } = "indirect";
    [Description("How long a ceremony may take.")]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    [Description("Which authenticators registration asks for.")]
    public WebAuthnSelectionCriteriaOptions SelectionCriteria { get; init; } = new();
    [Description("Which authenticator models are accepted.")]
    public WebAuthnFilteringOptions Filtering { get; init; } = new();
    [Description("FIDO Metadata Service (MDS3) checks.")]
    public WebAuthnMetadataOptions Metadata { get; init; } = new();

    /// <summary>Offer a passkey after a password sign-in to users without one: <c>off</c> or <c>offer</c>.</summary>
    [Description("Portal's own: after a password sign-in, 'offer' a user without a passkey to create one on this device. Needs enable_passkey_login.")]
    [ConfigValues("off", "offer")]
    public string PasskeyEnrollment { get; init; } = "off";

    /// <summary>How long "Not now" keeps the offer away.</summary>
    [Description("How long 'Not now' on that offer is remembered.")]
    public TimeSpan PasskeyEnrollmentSnooze { get; init; } = TimeSpan.FromDays(30);
}
