using System.ComponentModel;
using Portal.FirstFactor;

namespace Portal.Users;

internal sealed class AuthenticationBackendOptions
{
    /// <summary>A duration, or <c>always</c> / <c>disable</c>, as Authelia accepts.</summary>
    [Description("How often a signed-in user's details (groups, emails, disabled) are re-read: a duration, 'always' or 'disable'; 'always' when file.watch is true.")]
    public string RefreshInterval { get; init; } = "5m";
    [Description("The users file backend.")]
    public FileBackendOptions File { get; init; } = new();
    [Description("Authelia's password reset switch.")]
    public DisableOption PasswordReset { get; init; } = new() { Disable = true };
    [Description("Authelia's password change switch.")]
    public DisableOption PasswordChange { get; init; } = new() { Disable = true };
}
