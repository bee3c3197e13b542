namespace Portal.PasswordReset;

/// <summary>
/// <c>password_policy</c> applied to a new password: the first rule it breaks, said plainly, or null. With no mode
/// enabled a password must still be non-empty and at most <see cref="LongestPassword"/> characters (argon2 hashes
/// anything, but a megabyte "password" is an attack on the hasher).
/// </summary>
internal sealed class PasswordPolicy(PasswordPolicyOptions options)
{
    public const int LongestPassword = 1024;

    /// <summary>zxcvbn's words for the scores, as Authelia's page shows them.</summary>
    private static readonly string[] Strength = ["too guessable", "very guessable", "somewhat guessable", "safely unguessable", "very unguessable"];

    /// <param name="userInputs">words the password should not be built from (the username, display name, emails)</param>
    public string? Check(string password, IEnumerable<string> userInputs)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(userInputs);
        if (password.Length == 0)
        {
            return "The password must not be empty.";
        }
        var standard = options.Standard;
        var max = standard.Enabled && standard.MaxLength > 0 ? standard.MaxLength : LongestPassword;
        if (password.Length > max)
        {
            return $"The password must be at most {max} characters long.";
        }
        if (standard.Enabled)
        {
            if (password.Length < standard.MinLength)
            {
                return $"The password must be at least {standard.MinLength} characters long.";
            }
            if (standard.RequireUppercase && !password.Any(char.IsUpper))
            {
                return "The password must contain an uppercase letter.";
            }
            if (standard.RequireLowercase && !password.Any(char.IsLower))
            {
                return "The password must contain a lowercase letter.";
            }
            if (standard.RequireNumber && !password.Any(char.IsDigit))
            {
                return "The password must contain a number.";
            }
            if (standard.RequireSpecial && password.All(char.IsLetterOrDigit))
            {
                return "The password must contain a special character (neither a letter nor a digit).";
            }
        }
        if (options.Zxcvbn.Enabled)
        {
            var score = Zxcvbn.Zxcvbn.MatchPassword(password, userInputs).Score;
            if (score < options.Zxcvbn.MinScore)
            {
                return $"The password is too weak: its strength is {score} of 4 ({Strength[Math.Clamp(score, 0, 4)]}), at least {options.Zxcvbn.MinScore} is required. Use a longer password, e.g. several unrelated words.";
            }
        }
        return null;
    }
}
