namespace Portal.Session;

internal sealed class SessionOptions
{
    /// <summary>Encrypts session payloads at rest; required with Redis.</summary>
    public string Secret { get; init; } = "";
    public string Name { get; init; } = "authelia_session";
    public string SameSite { get; init; } = "lax";
    public TimeSpan Expiration { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan Inactivity { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>A negative value (<c>-1</c>) disables "remember me".</summary>
    public TimeSpan RememberMe { get; init; } = TimeSpan.FromDays(30);
    public IReadOnlyList<SessionCookieOptions> Cookies { get; init; } = [];
    public RedisOptions? Redis { get; init; }

    /// <summary>
    /// Portal's own key: when a user adds or removes a security key or passkey, their other sessions end; when the
    /// users file changes their password, all of them do. Off by default, as in Authelia.
    /// </summary>
    public bool SignOutOnCredentialChange { get; init; }
}
