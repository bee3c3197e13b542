using System.Text.Json.Serialization;

namespace Portal.PasswordReset;

/// <summary>A good link: whose password it resets and for how many more seconds.</summary>
internal sealed record ResetLinkState(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("expires_in")] long ExpiresIn);
