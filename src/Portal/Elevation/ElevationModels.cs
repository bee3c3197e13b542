using System.Text.Json.Serialization;

namespace Portal.Elevation;

/// <summary>GET answer, in Authelia's field names.</summary>
internal sealed record ElevationState(
    [property: JsonPropertyName("require_second_factor")] bool RequireSecondFactor,
    [property: JsonPropertyName("skip_second_factor")] bool SkipSecondFactor,
    [property: JsonPropertyName("can_skip_second_factor")] bool CanSkipSecondFactor,
    [property: JsonPropertyName("factor_knowledge")] bool FactorKnowledge,
    [property: JsonPropertyName("elevated")] bool Elevated,
    [property: JsonPropertyName("expires")] int Expires);
