using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

internal sealed record LogoutRequest([property: JsonPropertyName("targetURL")] string? TargetUrl);
