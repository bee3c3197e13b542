using Portal.Tests.Configuration;

namespace Portal.Tests.PasswordReset;

public sealed class PasswordResetValidatorTests
{
    private static List<string> Errors(string yaml) => ConfigLoaderTests.LoadOverMinimal(yaml).Diagnostics.Errors.Select(e => e.ToString()).ToList();

    private static List<string> Warnings(string yaml) => ConfigLoaderTests.LoadOverMinimal(yaml).Diagnostics.Warnings.Select(e => e.ToString()).ToList();

    [Fact]
    public void An_enabled_reset_needs_a_jwt_secret()
    {
        var errors = Errors("authentication_backend:\n  password_reset:\n    disable: false\n");

        Assert.Contains(errors, e => e.StartsWith("identity_validation: reset_password: option 'jwt_secret' is required", StringComparison.Ordinal));
    }

    [Fact]
    public void An_enabled_reset_with_a_secret_is_valid()
    {
        Assert.Empty(Errors("authentication_backend:\n  password_reset:\n    disable: false\nidentity_validation:\n  reset_password:\n    jwt_secret: 'a-random-secret-of-at-least-32-characters'\n"));
    }

    [Fact]
    public void An_unknown_algorithm_and_a_lifespan_over_a_day_are_errors_with_their_paths()
    {
        var errors = Errors("identity_validation:\n  reset_password:\n    jwt_algorithm: RS256\n    jwt_lifespan: 2d\n");

        Assert.Contains(errors, e => e.StartsWith("identity_validation: reset_password: option 'jwt_algorithm' must be one of 'HS256', 'HS384', 'HS512'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("identity_validation: reset_password: option 'jwt_lifespan' must be at most 1 day", StringComparison.Ordinal));
    }

    [Fact]
    public void Both_policy_modes_at_once_and_a_score_out_of_range_are_errors()
    {
        var errors = Errors("password_policy:\n  standard:\n    enabled: true\n  zxcvbn:\n    enabled: true\n    min_score: 5\n");

        Assert.Contains(errors, e => e.Contains("'standard' and 'zxcvbn' are both enabled", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("password_policy: zxcvbn: option 'min_score' must be between 0 and 4", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_with_the_reset_left_at_its_default_warns_that_the_reset_is_off()
    {
        var warnings = Warnings("identity_validation:\n  reset_password:\n    jwt_secret: 'a-random-secret-of-at-least-32-characters'\n");

        Assert.Contains(warnings, w => w.Contains("the password reset stays off", StringComparison.Ordinal));
    }
}
