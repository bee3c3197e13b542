namespace Portal.Session;

internal sealed class SessionOptions
{
    /// <summary>Encrypts session payloads at rest; required with Redis.</summary>
    public string Secret { get; set; } = "";
    public string Name { get; set; } = "authelia_session";
    public string SameSite { get; set; } = "lax";
    public TimeSpan Expiration { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan Inactivity { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>A negative value (<c>-1</c>) disables "remember me".</summary>
    public TimeSpan RememberMe { get; set; } = TimeSpan.FromDays(30);
    public List<SessionCookieOptions> Cookies { get; set; } = [];
    public RedisOptions? Redis { get; set; }
}
