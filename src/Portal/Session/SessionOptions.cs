using System.ComponentModel;
using Portal.Configuration;
namespace Portal.Session;

internal sealed class SessionOptions
{
    /// <summary>Encrypts session payloads at rest; required with Redis.</summary>
    [Description("Encrypts session data at rest; required with Redis (every node shares it). Prefer PORTAL_SESSION_SECRET_FILE.")]
    public string Secret { get; init; } = "";
    [Description("Cookie name; the default for every entry of 'cookies'.")]
    public string Name { get; init; } = "authelia_session";
    [Description("Cookie SameSite attribute; the default for every entry of 'cookies'.")]
    [ConfigValues("lax", "strict", "none")]
    public string SameSite { get; init; } = "lax";
    [Description("Maximum session lifetime; the default for every entry of 'cookies'.")]
    public TimeSpan Expiration { get; init; } = TimeSpan.FromHours(1);
    [Description("Idle time after which a session ends (not for 'remember me' sessions).")]
    public TimeSpan Inactivity { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>A negative value (<c>-1</c>) disables "remember me".</summary>
    [Description("Lifetime when the user ticks 'remember me'; -1 hides the checkbox.")]
    public TimeSpan RememberMe { get; init; } = TimeSpan.FromDays(30);
    [Description("One entry per protected root domain. Required: at least one.")]
    public IReadOnlyList<SessionCookieOptions> Cookies { get; init; } = [];
    [Description("Keep sessions in Redis (several nodes; restarts keep users signed in). Absent: in memory, one node.")]
    public RedisOptions? Redis { get; init; }

    /// <summary>
    /// Portal's own key: when a user adds or removes a security key or passkey, their other sessions end; when the
    /// users file changes their password, all of them do. Off by default, as in Authelia.
    /// </summary>
    [Description("Portal's own: adding or removing a key ends the user's other sessions; a password change in the users file ends all of them.")]
    public bool SignOutOnCredentialChange { get; init; }
}
