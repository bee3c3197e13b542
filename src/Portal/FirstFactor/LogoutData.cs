using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

internal sealed record LogoutData([property: JsonPropertyName("safeTargetURL")] bool SafeTargetUrl);
