using System.Text.Json.Serialization;

namespace Portal.RecoveryCodes;

internal sealed record RecoveryCodeRequest(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("targetURL")] string? TargetUrl);
