using System.Text.Json.Serialization;

namespace Portal.Elevation;

internal sealed record ElevationFinishRequest([property: JsonPropertyName("otc")] string? Otc);
