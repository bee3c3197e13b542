namespace Portal.WebAuthn;

internal sealed class WebAuthnSelectionCriteriaOptions
{
    public string Attachment { get; init; } = "";
    public string Discoverability { get; init; } = "preferred";
    public string UserVerification { get; init; } = "preferred";
}
