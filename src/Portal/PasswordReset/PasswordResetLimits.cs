using Portal.Configuration;
using Portal.Elevation;

namespace Portal.PasswordReset;

/// <summary>
/// The reset endpoints' limits: per client IP (429, the same for every username, so it says nothing about who
/// exists) and per user (links mailed to one user, silently: the answer stays the same).
/// </summary>
internal sealed class PasswordResetLimits
{
    public PasswordResetLimits(PortalOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var lifespan = options.IdentityValidation.ResetPassword.JwtLifespan;
        Start = new IpRateLimiter([new(3, lifespan), new(5, 2 * lifespan), new(15, 12 * lifespan)], time);
        Finish = new IpRateLimiter([new(5, lifespan), new(10, 2 * lifespan), new(30, 12 * lifespan)], time);
        Mails = new UserMailLimiter(3, 12 * lifespan, time);
    }

    /// <summary>Link requests: 3 per link lifespan, 5 per two, 15 per twelve, per IP.</summary>
    public IpRateLimiter Start { get; }

    /// <summary>New-password submissions: 5 per link lifespan, 10 per two, 30 per twelve, per IP.</summary>
    public IpRateLimiter Finish { get; }

    /// <summary>At most 3 links per user per twelve lifespans, whoever asks: nobody can flood a user's mailbox.</summary>
    public UserMailLimiter Mails { get; }

    /// <summary>
    /// Every link request answers after at least this long, whether a link was mailed or not (the mail itself is sent
    /// after the answer).
    /// </summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}
