using Portal.FirstFactor;

namespace Portal.Users;

internal sealed class AuthenticationBackendOptions
{
    /// <summary>A duration, or <c>always</c> / <c>disable</c>, as Authelia accepts.</summary>
    public string RefreshInterval { get; init; } = "5m";
    public FileBackendOptions File { get; init; } = new();
    public DisableOption PasswordReset { get; init; } = new() { Disable = true };
    public DisableOption PasswordChange { get; init; } = new() { Disable = true };
}
