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
        Finish = new IpRateLimiter([new(10, lifespan), new(20, 2 * lifespan), new(60, 12 * lifespan)], time);
        Mails = new UserMailLimiter(3, 12 * lifespan, time);
    }

    /// <summary>Link requests: 3 per link lifespan, 5 per two, 15 per twelve, per IP.</summary>
    public IpRateLimiter Start { get; }

    /// <summary>
    /// Link checks and new-password submissions together: 10 per link lifespan, 20 per two, 60 per twelve, per IP
    /// (the page checks the link once, then a user may need a few tries to satisfy the policy).
    /// </summary>
    public IpRateLimiter Finish { get; }

    /// <summary>At most 3 links per user per twelve lifespans, whoever asks: nobody can flood a user's mailbox.</summary>
    public UserMailLimiter Mails { get; }

    /// <summary>
    /// Every link request answers after at least this long, whether a link was mailed or not (the mail itself is sent
    /// after the answer).
    /// </summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}
