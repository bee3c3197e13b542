namespace Portal.Configuration;

/// <summary>
/// Checks one section of the loaded options, reporting every problem to <paramref name="diag"/> with its YAML path
/// rather than stopping at the first. It may look at other sections it depends on, never change them.
/// </summary>
internal delegate void SectionValidator(PortalOptions options, ConfigDiagnostics diag);
