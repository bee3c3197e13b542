namespace Portal.PasswordReset;

/// <summary><c>password_policy.zxcvbn</c>: the estimated strength, 0 (guessable) to 4 (very strong).</summary>
internal sealed class ZxcvbnPasswordPolicyOptions
{
    public bool Enabled { get; init; }
    public int MinScore { get; init; } = 3;
}
