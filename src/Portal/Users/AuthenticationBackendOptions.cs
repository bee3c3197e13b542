namespace Portal.Users;

internal sealed class AuthenticationBackendOptions
{
    /// <summary>A duration, or <c>always</c> / <c>disable</c>, as Authelia accepts.</summary>
    public string RefreshInterval { get; set; } = "5m";
    public FileBackendOptions File { get; set; } = new();
    public DisableOption PasswordReset { get; set; } = new() { Disable = true };
    public DisableOption PasswordChange { get; set; } = new() { Disable = true };
}
