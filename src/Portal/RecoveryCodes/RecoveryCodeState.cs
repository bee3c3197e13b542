using System.Text.Json.Serialization;

namespace Portal.RecoveryCodes;

/// <summary>How many unused codes the user has; after a sign-in with one, where to go next (when safe).</summary>
internal sealed record RecoveryCodeState(
    [property: JsonPropertyName("remaining")] int Remaining,
    [property: JsonPropertyName("redirect")] string? Redirect = null);
