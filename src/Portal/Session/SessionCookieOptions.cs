namespace Portal.Session;

/// <summary>One protected cookie domain. Unset values inherit from <see cref="SessionOptions"/>.</summary>
internal sealed class SessionCookieOptions
{
    public string Domain { get; init; } = "";
    public string AutheliaUrl { get; init; } = "";
    public string DefaultRedirectionUrl { get; init; } = "";
    public string? Name { get; init; }
    public string? SameSite { get; init; }
    public TimeSpan? Expiration { get; init; }
    public TimeSpan? Inactivity { get; init; }
    public TimeSpan? RememberMe { get; init; }
}
