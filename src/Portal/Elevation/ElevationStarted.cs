using System.Text.Json.Serialization;

namespace Portal.Elevation;

internal sealed record ElevationStarted([property: JsonPropertyName("delete_id")] string DeleteId);
