namespace Portal.PasswordReset;

/// <summary><c>password_policy.standard</c>: length and character classes.</summary>
internal sealed class StandardPasswordPolicyOptions
{
    public bool Enabled { get; init; }
    public int MinLength { get; init; } = 8;

    /// <summary>0: no maximum.</summary>
    public int MaxLength { get; init; }
    public bool RequireUppercase { get; init; }
    public bool RequireLowercase { get; init; }
    public bool RequireNumber { get; init; }
    public bool RequireSpecial { get; init; }
}
