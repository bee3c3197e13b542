using System.Text.Json.Serialization;

namespace Portal.FirstFactor;

internal sealed record FirstFactorRequest(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("keepMeLoggedIn")] bool? KeepMeLoggedIn,
    [property: JsonPropertyName("targetURL")] string? TargetUrl,
    [property: JsonPropertyName("requestMethod")] string? RequestMethod);

internal sealed record RedirectData([property: JsonPropertyName("redirect")] string Redirect);

internal sealed record StateData(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("authentication_level")] int AuthenticationLevel,
    [property: JsonPropertyName("factor_knowledge")] bool FactorKnowledge,
    [property: JsonPropertyName("default_redirection_url")] string DefaultRedirectionUrl,
    // Not in Authelia's /api/state (it templates data-passkeylogin into its page): our page is static, and the
    // login form must know before sign-in whether to offer the passkey button.
    [property: JsonPropertyName("passkey_login")] bool PasskeyLogin);

internal sealed record SecondFactorPasswordRequest(
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("targetURL")] string? TargetUrl,
    [property: JsonPropertyName("requestMethod")] string? RequestMethod);

internal sealed record LogoutRequest([property: JsonPropertyName("targetURL")] string? TargetUrl);

internal sealed record LogoutData([property: JsonPropertyName("safeTargetURL")] bool SafeTargetUrl);

internal sealed record SafeRedirectionRequest([property: JsonPropertyName("uri")] string? Uri);

internal sealed record SafeRedirectionData([property: JsonPropertyName("ok")] bool Ok);

internal sealed record AccessCheckRequest([property: JsonPropertyName("uri")] string? Uri, [property: JsonPropertyName("method")] string? Method);

/// <summary><c>allowed</c>, <c>more_factors</c> (another factor would open it) or <c>forbidden</c> (nothing would).</summary>
internal sealed record AccessCheckData([property: JsonPropertyName("access")] string Access);

internal sealed record ConfigurationData(
    [property: JsonPropertyName("available_methods")] IReadOnlyList<string> AvailableMethods,
    [property: JsonPropertyName("password_change_disabled")] bool PasswordChangeDisabled,
    [property: JsonPropertyName("password_reset_disabled")] bool PasswordResetDisabled,
    [property: JsonPropertyName("passkey_login")] bool PasskeyLogin,
    [property: JsonPropertyName("remember_me")] bool RememberMe);
