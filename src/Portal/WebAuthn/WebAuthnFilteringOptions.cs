using System.ComponentModel;
namespace Portal.WebAuthn;

internal sealed class WebAuthnFilteringOptions
{
    [Description("Allow only these authenticator models (AAGUIDs); exclusive with prohibited_aaguids.")]
    public IReadOnlyList<string> PermittedAaguids { get; init; } = [];
    [Description("Refuse these authenticator models (AAGUIDs).")]
    public IReadOnlyList<string> ProhibitedAaguids { get; init; } = [];
    [Description("Refuse credentials that can be synced between devices (backup eligible).")]
    public bool ProhibitBackupEligibility { get; init; }
}
