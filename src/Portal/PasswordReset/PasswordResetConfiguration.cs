using System.Text.Json.Serialization;

namespace Portal.PasswordReset;

/// <summary>What the pages need to know: whether the reset is offered, and the policy to show before a password is typed.</summary>
internal sealed record PasswordResetConfiguration(
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("min_length")] int MinLength,
    [property: JsonPropertyName("max_length")] int MaxLength,
    [property: JsonPropertyName("require_uppercase")] bool RequireUppercase,
    [property: JsonPropertyName("require_lowercase")] bool RequireLowercase,
    [property: JsonPropertyName("require_number")] bool RequireNumber,
    [property: JsonPropertyName("require_special")] bool RequireSpecial,
    [property: JsonPropertyName("min_score")] int MinScore);
