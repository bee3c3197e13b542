using Portal.Configuration;

namespace Portal.WebAuthn;

internal sealed class WebAuthnOptions
{
    public bool Disable { get; set; }
    public bool EnablePasskeyLogin { get; set; }
    [ConfigKey("experimental_enable_passkey_uv_two_factors")]
    public bool ExperimentalEnablePasskeyUvTwoFactors { get; set; }
    public bool ExperimentalEnablePasskeyUpgrade { get; set; }
    public string DisplayName { get; set; } = "Portal";
    public string AttestationConveyancePreference { get; set; } = "indirect";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
    public WebAuthnSelectionCriteriaOptions SelectionCriteria { get; set; } = new();
    public WebAuthnFilteringOptions Filtering { get; set; } = new();
    public WebAuthnMetadataOptions Metadata { get; set; } = new();

    /// <summary>Offer a passkey after a password sign-in to users without one: <c>off</c> or <c>offer</c>.</summary>
    public string PasskeyEnrollment { get; set; } = "off";

    /// <summary>How long "Not now" keeps the offer away.</summary>
    public TimeSpan PasskeyEnrollmentSnooze { get; set; } = TimeSpan.FromDays(30);
}
