using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

internal sealed record RedirectData([property: JsonPropertyName("redirect")] string Redirect);
