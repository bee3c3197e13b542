using System.Text.Json.Serialization;

namespace Portal.PasswordReset;

/// <summary>The link's token and, to finish, the new password (absent when the page only checks the link).</summary>
internal sealed record ResetFinishRequest(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("password")] string? Password);
