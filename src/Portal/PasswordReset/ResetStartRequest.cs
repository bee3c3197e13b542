using System.Text.Json.Serialization;

namespace Portal.PasswordReset;

internal sealed record ResetStartRequest([property: JsonPropertyName("username")] string? Username);
