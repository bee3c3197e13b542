using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

internal sealed record StateData(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("authentication_level")] int AuthenticationLevel,
    [property: JsonPropertyName("factor_knowledge")] bool FactorKnowledge,
    [property: JsonPropertyName("default_redirection_url")] string DefaultRedirectionUrl,
    // Not in Authelia's /api/state (it templates data-passkeylogin into its page): our page is static, and the
    // login form must know before sign-in whether to offer the passkey button.
    [property: JsonPropertyName("passkey_login")] bool PasskeyLogin);
