using System.ComponentModel;

namespace Portal.PasswordReset;

/// <summary><c>password_policy</c>: what a new password must satisfy (Authelia's two modes, at most one enabled).</summary>
internal sealed class PasswordPolicyOptions
{
    [Description("Length and character-class rules.")]
    public StandardPasswordPolicyOptions Standard { get; init; } = new();
    [Description("A minimum zxcvbn strength score.")]
    public ZxcvbnPasswordPolicyOptions Zxcvbn { get; init; } = new();
}
