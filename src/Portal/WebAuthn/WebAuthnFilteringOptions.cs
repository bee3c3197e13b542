namespace Portal.WebAuthn;

internal sealed class WebAuthnFilteringOptions
{
    public List<string> PermittedAaguids { get; set; } = [];
    public List<string> ProhibitedAaguids { get; set; } = [];
    public bool ProhibitBackupEligibility { get; set; }
}
