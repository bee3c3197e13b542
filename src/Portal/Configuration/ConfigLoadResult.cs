namespace Portal.Configuration;

internal sealed record ConfigLoadResult(PortalOptions Options, ConfigDiagnostics Diagnostics)
{
    public bool IsValid => !Diagnostics.HasErrors;
}
