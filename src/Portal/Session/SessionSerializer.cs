using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Session;

/// <summary>JSON form of a session, shared by every store so that a payload means the same thing everywhere.</summary>
internal static class SessionSerializer
{
    public static byte[] Serialize(UserSession session) =>
        JsonSerializer.SerializeToUtf8Bytes(session, SessionJsonContext.Default.UserSession);

    /// <summary>Null when the bytes are not a session (corrupt, truncated, or from an incompatible version).</summary>
    public static UserSession? Deserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SessionJsonContext.Default.UserSession);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
