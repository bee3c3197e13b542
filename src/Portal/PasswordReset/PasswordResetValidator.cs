using Portal.Configuration;
using static Portal.Configuration.ConfigChecks;

namespace Portal.PasswordReset;

/// <summary>
/// Checks <c>identity_validation.reset_password</c>, <c>password_policy</c> and the reset's switch
/// (<c>authentication_backend.password_reset.disable</c>).
/// </summary>
internal static class PasswordResetValidator
{
    /// <summary>
    /// A used link is remembered in the used-ceremony table, whose rows the WebAuthn ceremonies purge after a day: a
    /// link must expire before its use is forgotten.
    /// </summary>
    public static readonly TimeSpan MaxLifespan = TimeSpan.FromDays(1);

    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        const string Path = "identity_validation.reset_password";
        var reset = options.IdentityValidation.ResetPassword;
        RequireOneOf(diag, Path, "jwt_algorithm", reset.JwtAlgorithm, [.. ResetLinks.Algorithms]);
        RequirePositive(diag, Path, "jwt_lifespan", reset.JwtLifespan);
        if (reset.JwtLifespan > MaxLifespan)
        {
            diag.Error(Path, "jwt_lifespan", "must be at most 1 day: a used link is remembered for a day, so a longer-lived one could be used twice");
        }
        if (PasswordResetServices.Enabled(options))
        {
            if (reset.JwtSecret.Length == 0)
            {
                diag.Error(Path, "jwt_secret", "is required while 'authentication_backend.password_reset.disable' is false: it signs the emailed links");
            }
            else if (reset.JwtSecret.Length < 32)
            {
                diag.Warning(Path, "jwt_secret", "is shorter than 32 characters: use a random string of 64 or more (portal crypto rand --length 64)");
            }
        }
        else if (reset.JwtSecret.Length > 0 && options.AuthenticationBackend.PasswordReset.Disable)
        {
            diag.Warning("authentication_backend.password_reset", "disable",
                "is true (Portal's default), so the password reset stays off although 'identity_validation.reset_password.jwt_secret' is set; set it to false to offer the reset");
        }
        if (!options.AuthenticationBackend.PasswordChange.Disable)
        {
            diag.Warning("authentication_backend.password_change", "disable",
                "is false, but Portal has no password change for signed-in users yet: users change a forgotten or known password through the reset");
        }

        const string Policy = "password_policy";
        var standard = options.PasswordPolicy.Standard;
        var zxcvbn = options.PasswordPolicy.Zxcvbn;
        if (standard.Enabled && zxcvbn.Enabled)
        {
            diag.Error(Policy, "'standard' and 'zxcvbn' are both enabled: enable one of them");
        }
        RequireRange(diag, Policy + ".standard", "min_length", standard.MinLength, 1, PasswordPolicy.LongestPassword);
        if (standard.MaxLength != 0)
        {
            RequireRange(diag, Policy + ".standard", "max_length", standard.MaxLength, Math.Max(1, standard.MinLength), PasswordPolicy.LongestPassword);
        }
        RequireRange(diag, Policy + ".zxcvbn", "min_score", zxcvbn.MinScore, 0, 4);
    }
}
