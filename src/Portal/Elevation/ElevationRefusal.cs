using System.Text.Json.Serialization;

namespace Portal.Elevation;

/// <summary>Why a request that needs an elevated session was refused; serialised as the 403 body's <c>data</c>.</summary>
internal sealed record ElevationRefusal(
    [property: JsonPropertyName("elevation")] bool Elevation,
    [property: JsonPropertyName("first_factor")] bool FirstFactor,
    [property: JsonPropertyName("second_factor")] bool SecondFactor)
{
    public static readonly ElevationRefusal NeedsFirstFactor = new(false, true, false);
    public static readonly ElevationRefusal NeedsSecondFactor = new(false, false, true);
    public static readonly ElevationRefusal NeedsElevation = new(true, false, false);
}
