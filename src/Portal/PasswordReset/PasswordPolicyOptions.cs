namespace Portal.PasswordReset;

/// <summary><c>password_policy</c>: what a new password must satisfy (Authelia's two modes, at most one enabled).</summary>
internal sealed class PasswordPolicyOptions
{
    public StandardPasswordPolicyOptions Standard { get; init; } = new();
    public ZxcvbnPasswordPolicyOptions Zxcvbn { get; init; } = new();
}
