using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

/// <summary><c>allowed</c>, <c>more_factors</c> (another factor would open it) or <c>forbidden</c> (nothing would).</summary>
internal sealed record AccessCheckData([property: JsonPropertyName("access")] string Access);
