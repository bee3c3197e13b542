using System.Text.Json.Serialization;

namespace Portal.UserSessions;

/// <summary>One of the user's sessions as the settings page lists it: a handle, never the session id.</summary>
internal sealed record UserSessionView(
    [property: JsonPropertyName("handle")] string Handle,
    [property: JsonPropertyName("current")] bool Current,
    [property: JsonPropertyName("signed_in_at")] DateTimeOffset SignedInAt,
    [property: JsonPropertyName("last_activity")] DateTimeOffset LastActivity,
    [property: JsonPropertyName("methods")] IReadOnlyList<string> Methods,
    [property: JsonPropertyName("ip")] string Ip,
    [property: JsonPropertyName("user_agent")] string UserAgent,
    [property: JsonPropertyName("cookie_domain")] string CookieDomain,
    [property: JsonPropertyName("remembered")] bool Remembered);
