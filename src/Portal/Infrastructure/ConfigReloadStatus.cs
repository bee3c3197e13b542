using System.Text.Json.Serialization;

namespace Portal.Infrastructure;

/// <summary>The last configuration reload, as <c>/api/health</c> reports it.</summary>
internal sealed record ConfigReloadStatus(
    [property: JsonPropertyName("at")] DateTimeOffset? At,
    [property: JsonPropertyName("succeeded")] bool Succeeded,
    [property: JsonPropertyName("errors")] int Errors)
{
    public static readonly ConfigReloadStatus NotReloaded = new(null, true, 0);
}
