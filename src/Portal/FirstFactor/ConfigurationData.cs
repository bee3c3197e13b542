using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

internal sealed record ConfigurationData(
    [property: JsonPropertyName("available_methods")] IReadOnlyList<string> AvailableMethods,
    [property: JsonPropertyName("password_change_disabled")] bool PasswordChangeDisabled,
    [property: JsonPropertyName("password_reset_disabled")] bool PasswordResetDisabled,
    [property: JsonPropertyName("passkey_login")] bool PasskeyLogin,
    [property: JsonPropertyName("remember_me")] bool RememberMe);
