using Portal.Configuration;

namespace Portal.WebAuthn;

internal sealed class WebAuthnOptions
{
    public bool Disable { get; init; }
    public bool EnablePasskeyLogin { get; init; }
    [ConfigKey("experimental_enable_passkey_uv_two_factors")]
    public bool ExperimentalEnablePasskeyUvTwoFactors { get; init; }
    public bool ExperimentalEnablePasskeyUpgrade { get; init; }
    public string DisplayName { get; init; } = "Portal";
    public string AttestationConveyancePreference { get; init; } = "indirect";
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    public WebAuthnSelectionCriteriaOptions SelectionCriteria { get; init; } = new();
    public WebAuthnFilteringOptions Filtering { get; init; } = new();
    public WebAuthnMetadataOptions Metadata { get; init; } = new();

    /// <summary>Offer a passkey after a password sign-in to users without one: <c>off</c> or <c>offer</c>.</summary>
    public string PasskeyEnrollment { get; init; } = "off";

    /// <summary>How long "Not now" keeps the offer away.</summary>
    public TimeSpan PasskeyEnrollmentSnooze { get; init; } = TimeSpan.FromDays(30);
}
