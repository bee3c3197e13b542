using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

internal sealed record SafeRedirectionData([property: JsonPropertyName("ok")] bool Ok);
