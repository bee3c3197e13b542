namespace Portal.PasswordReset;

/// <summary><c>identity_validation.reset_password</c>: the signed link a password reset is emailed as (Authelia's keys).</summary>
internal sealed class ResetPasswordOptions
{
    /// <summary>How long an emailed link stays usable. At most a day (see <see cref="PasswordResetValidator"/>).</summary>
    public TimeSpan JwtLifespan { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>HS256, HS384 or HS512.</summary>
    public string JwtAlgorithm { get; init; } = "HS256";

    /// <summary>The HMAC key the link is signed with; required when the reset is enabled.</summary>
    public string JwtSecret { get; init; } = "";
}
