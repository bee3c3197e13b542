using Portal.PasswordReset;

namespace Portal.Elevation;

internal sealed class IdentityValidationOptions
{
    public ElevatedSessionOptions ElevatedSession { get; init; } = new();
    public ResetPasswordOptions ResetPassword { get; init; } = new();
}
