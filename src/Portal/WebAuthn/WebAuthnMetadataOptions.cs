namespace Portal.WebAuthn;

internal sealed class WebAuthnMetadataOptions
{
    public bool Enabled { get; init; }
}
