namespace Portal.Session;

/// <summary>One protected cookie domain. Unset values inherit from <see cref="SessionOptions"/>.</summary>
internal sealed class SessionCookieOptions
{
    public string Domain { get; set; } = "";
    public string AutheliaUrl { get; set; } = "";
    public string DefaultRedirectionUrl { get; set; } = "";
    public string? Name { get; set; }
    public string? SameSite { get; set; }
    public TimeSpan? Expiration { get; set; }
    public TimeSpan? Inactivity { get; set; }
    public TimeSpan? RememberMe { get; set; }
}
