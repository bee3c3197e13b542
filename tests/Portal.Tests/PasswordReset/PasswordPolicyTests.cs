using Portal.PasswordReset;

namespace Portal.Tests.PasswordReset;

public sealed class PasswordPolicyTests
{
    private static PasswordPolicy Standard(int min = 8, int max = 0, bool upper = false, bool lower = false, bool number = false, bool special = false) =>
        new(new PasswordPolicyOptions
        {
            Standard = new StandardPasswordPolicyOptions
            {
                Enabled = true, MinLength = min, MaxLength = max, RequireUppercase = upper, RequireLowercase = lower, RequireNumber = number, RequireSpecial = special,
            },
        });

    [Theory]
    [InlineData("Short1!", "The password must be at least 8 characters long.")]
    [InlineData("alllowercase1!", "The password must contain an uppercase letter.")]
    [InlineData("ALLUPPERCASE1!", "The password must contain a lowercase letter.")]
    [InlineData("NoDigitsHere!", "The password must contain a number.")]
    [InlineData("NoSpecial123", "The password must contain a special character (neither a letter nor a digit).")]
    [InlineData("Much Too Long 1234567", "The password must be at most 20 characters long.")]
    public void The_standard_policy_names_the_first_rule_a_password_breaks(string password, string rule)
    {
        var policy = Standard(max: 20, upper: true, lower: true, number: true, special: true);

        Assert.Equal(rule, policy.Check(password, []));
    }

    [Fact]
    public void A_password_meeting_every_standard_rule_passes()
    {
        Assert.Null(Standard(upper: true, lower: true, number: true, special: true).Check("Good Pass 1", []));
    }

    [Fact]
    public void Zxcvbn_refuses_a_common_password_and_one_built_from_the_username_and_accepts_a_passphrase()
    {
        var policy = new PasswordPolicy(new PasswordPolicyOptions { Zxcvbn = new ZxcvbnPasswordPolicyOptions { Enabled = true, MinScore = 3 } });

        Assert.Contains("too weak", policy.Check("password1", []), StringComparison.Ordinal);
        Assert.Contains("too weak", policy.Check("johndoe1984", ["johndoe"]), StringComparison.Ordinal);
        Assert.Null(policy.Check("correct horse battery staple", ["john"]));
    }

    [Fact]
    public void Without_a_policy_any_non_empty_password_up_to_1024_characters_passes()
    {
        var policy = new PasswordPolicy(new PasswordPolicyOptions());

        Assert.Null(policy.Check("a", []));
        Assert.NotNull(policy.Check("", []));
        Assert.NotNull(policy.Check(new string('a', 1025), []));
    }
}
