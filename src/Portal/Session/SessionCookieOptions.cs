using System.ComponentModel;
using Portal.Configuration;
namespace Portal.Session;

/// <summary>One protected cookie domain. Unset values inherit from <see cref="SessionOptions"/>.</summary>
internal sealed class SessionCookieOptions
{
    [Description("The cookie domain: apps on it and its subdomains are protected. Required.")]
    public string Domain { get; init; } = "";
    [Description("The portal's own https URL, within 'domain'. Required.")]
    public string AutheliaUrl { get; init; } = "";
    [Description("Where users land after signing in when no target was given; https, within 'domain'.")]
    public string DefaultRedirectionUrl { get; init; } = "";
    [Description("Cookie name; inherits session.name.")]
    public string? Name { get; init; }
    [Description("Cookie SameSite attribute; inherits session.same_site.")]
    [ConfigValues("lax", "strict", "none")]
    public string? SameSite { get; init; }
    [Description("Maximum session lifetime; inherits session.expiration.")]
    public TimeSpan? Expiration { get; init; }
    [Description("Idle time after which a session ends; inherits session.inactivity.")]
    public TimeSpan? Inactivity { get; init; }
    [Description("'Remember me' lifetime; inherits session.remember_me.")]
    public TimeSpan? RememberMe { get; init; }
}
