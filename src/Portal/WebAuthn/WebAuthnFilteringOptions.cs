namespace Portal.WebAuthn;

internal sealed class WebAuthnFilteringOptions
{
    public IReadOnlyList<string> PermittedAaguids { get; init; } = [];
    public IReadOnlyList<string> ProhibitedAaguids { get; init; } = [];
    public bool ProhibitBackupEligibility { get; init; }
}
