using System.ComponentModel;
using Portal.Configuration;
namespace Portal.WebAuthn;

internal sealed class WebAuthnSelectionCriteriaOptions
{
    [Description("'' (any), platform or cross-platform.")]
    [ConfigValues("", "platform", "cross-platform")]
    public string Attachment { get; init; } = "";
    [Description("Whether registration asks for a discoverable credential (passkey).")]
    [ConfigValues("discouraged", "preferred", "required")]
    public string Discoverability { get; init; } = "preferred";
    [Description("Whether the authenticator must verify the user (PIN or biometric).")]
    [ConfigValues("discouraged", "preferred", "required")]
    public string UserVerification { get; init; } = "preferred";
}
