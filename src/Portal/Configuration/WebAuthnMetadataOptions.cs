namespace Portal.Configuration;

internal sealed class WebAuthnMetadataOptions
{
    public bool Enabled { get; set; }
}
