using System.ComponentModel;

namespace Portal.PasswordReset;

/// <summary><c>password_policy.standard</c>: length and character classes.</summary>
internal sealed class StandardPasswordPolicyOptions
{
    [Description("Apply these rules to new passwords.")]
    public bool Enabled { get; init; }
    [Description("The shortest password accepted.")]
    public int MinLength { get; init; } = 8;

    /// <summary>0: no maximum.</summary>
    [Description("The longest password accepted; 0 for no maximum (1024 at most).")]
    public int MaxLength { get; init; }
    [Description("Require an uppercase letter.")]
    public bool RequireUppercase { get; init; }
    [Description("Require a lowercase letter.")]
    public bool RequireLowercase { get; init; }
    [Description("Require a digit.")]
    public bool RequireNumber { get; init; }
    [Description("Require a character that is neither a letter nor a digit.")]
    public bool RequireSpecial { get; init; }
}
