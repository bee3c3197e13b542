using System.ComponentModel;
using Portal.PasswordReset;

namespace Portal.Elevation;

internal sealed class IdentityValidationOptions
{
    [Description("Adding, renaming or deleting a credential needs an elevated session, unlocked by a one-time code sent by email.")]
    public ElevatedSessionOptions ElevatedSession { get; init; } = new();
    [Description("The signed link a password reset is emailed as.")]
    public ResetPasswordOptions ResetPassword { get; init; } = new();
}
