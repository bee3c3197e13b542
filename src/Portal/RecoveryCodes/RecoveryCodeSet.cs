using System.Text.Json.Serialization;

namespace Portal.RecoveryCodes;

/// <summary>A new set of codes, in the one answer that ever shows them.</summary>
internal sealed record RecoveryCodeSet([property: JsonPropertyName("codes")] IReadOnlyList<string> Codes);
