using System.ComponentModel;
namespace Portal.Infrastructure;

internal sealed class HstsOptions
{
    [Description("Send Strict-Transport-Security on https answers.")]
    public bool Enabled { get; init; } = true;

    /// <summary>How long browsers keep to https; 0 tells them to forget an earlier policy.</summary>
    [Description("How long browsers keep to https for this host; 0 tells them to forget an earlier policy.")]
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(365);

    [Description("Also cover every subdomain (only if all of them serve https).")]
    public bool IncludeSubdomains { get; init; }
}
