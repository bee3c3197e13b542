using System.ComponentModel;

namespace Portal.PasswordReset;

/// <summary><c>password_policy.zxcvbn</c>: the estimated strength, 0 (guessable) to 4 (very strong).</summary>
internal sealed class ZxcvbnPasswordPolicyOptions
{
    [Description("Apply the strength estimate to new passwords.")]
    public bool Enabled { get; init; }
    [Description("The lowest zxcvbn score accepted, 0 to 4.")]
    public int MinScore { get; init; } = 3;
}
