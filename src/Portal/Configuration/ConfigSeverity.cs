namespace Portal.Configuration;

internal enum ConfigSeverity
{
    Error,
    Warning,
}
