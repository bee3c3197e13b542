using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

internal sealed record SecondFactorPasswordRequest(
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("targetURL")] string? TargetUrl,
    [property: JsonPropertyName("requestMethod")] string? RequestMethod);
