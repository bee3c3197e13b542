using Portal.Configuration;

namespace Portal.Elevation;

/// <summary>
/// The elevation endpoints' per-IP rate limits and the finish delay: state that outlives a request, so one instance
/// for the app.
/// </summary>
internal sealed class ElevationLimits
{
    public ElevationLimits(PortalOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var code = options.IdentityValidation.ElevatedSession.CodeLifespan;
        var elevated = options.IdentityValidation.ElevatedSession.ElevationLifespan;
        Start = new IpRateLimiter([new(3, code), new(5, 2 * code), new(15, 12 * code)], time);
        Finish = new IpRateLimiter([new(3, elevated), new(5, 2 * elevated), new(15, 6 * elevated)], time);
    }

    /// <summary>POST: 3 per code lifespan, 5 per two, 15 per twelve, per IP.</summary>
    public IpRateLimiter Start { get; }

    /// <summary>PUT: 3 per elevation lifespan, 5 per two, 15 per six, per IP.</summary>
    public IpRateLimiter Finish { get; }

    /// <summary>Every PUT answers after at least this long, so timing says nothing about why a code failed.</summary>
    public TimeSpan FinishDelay { get; init; } = TimeSpan.FromSeconds(1);
}
