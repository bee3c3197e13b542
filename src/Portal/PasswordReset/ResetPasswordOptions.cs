using System.ComponentModel;
using Portal.Configuration;

namespace Portal.PasswordReset;

/// <summary><c>identity_validation.reset_password</c>: the signed link a password reset is emailed as (Authelia's keys).</summary>
internal sealed class ResetPasswordOptions
{
    /// <summary>How long an emailed link stays usable. At most a day (see <see cref="PasswordResetValidator"/>).</summary>
    [Description("How long an emailed reset link stays usable (at most 1 day).")]
    public TimeSpan JwtLifespan { get; init; } = TimeSpan.FromMinutes(5);

    [Description("The HMAC algorithm the link is signed with.")]
    [ConfigValues("HS256", "HS384", "HS512")]
    public string JwtAlgorithm { get; init; } = "HS256";

    /// <summary>The HMAC key the link is signed with; required when the reset is enabled.</summary>
    [Description("The secret the link is signed with; required while authentication_backend.password_reset.disable is false. A random string of 64 or more characters.")]
    public string JwtSecret { get; init; } = "";
}
