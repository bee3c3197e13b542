using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

internal sealed record FirstFactorRequest(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("keepMeLoggedIn")] bool? KeepMeLoggedIn,
    [property: JsonPropertyName("targetURL")] string? TargetUrl,
    [property: JsonPropertyName("requestMethod")] string? RequestMethod);
