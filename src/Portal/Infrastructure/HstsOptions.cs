namespace Portal.Infrastructure;

internal sealed class HstsOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>How long browsers keep to https; 0 tells them to forget an earlier policy.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(365);

    public bool IncludeSubdomains { get; init; }
}
