using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

internal sealed record AccessCheckRequest([property: JsonPropertyName("uri")] string? Uri, [property: JsonPropertyName("method")] string? Method);
