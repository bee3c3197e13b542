namespace Portal.WebAuthn;

internal sealed class WebAuthnSelectionCriteriaOptions
{
    public string Attachment { get; set; } = "";
    public string Discoverability { get; set; } = "preferred";
    public string UserVerification { get; set; } = "preferred";
}
