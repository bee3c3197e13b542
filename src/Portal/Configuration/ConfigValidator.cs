namespace Portal.Configuration;

/// <summary>
/// Runs every section's validator. All of them always run (no short-circuit) so an admin sees every error at once.
/// Each feature owns its section's validator; <see cref="PortalOptions.Validators"/> lists them.
/// </summary>
internal static class ConfigValidator
{
    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        foreach (var validate in PortalOptions.Validators)
        {
            validate(options, diag);
        }
    }
}
