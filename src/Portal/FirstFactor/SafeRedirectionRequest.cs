using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

internal sealed record SafeRedirectionRequest([property: JsonPropertyName("uri")] string? Uri);
