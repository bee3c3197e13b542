using Portal.Configuration;
using Portal.Elevation;

namespace Portal.Infrastructure;

/// <summary>
/// The endpoint pattern (docs/ARCHITECTURE.md, "An endpoint"): a feature maps its endpoints on an API group
/// (<see cref="MapApiGroup"/>, which answers outages), declares what each needs of the session
/// (<see cref="RequireSession"/>) and, where the input is checked before the session, of the body
/// (<see cref="RequireBody"/>); handlers take what they need as parameters and return typed results.
/// </summary>
internal static class EndpointConventions
{
    /// <summary>A group under <c>/api</c> whose endpoints answer a session-store or storage outage with 503.</summary>
    /// <param name="logStorageOutage">the feature's own log event for a storage outage (default: event 1003)</param>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, Action<ILogger, Exception>? logStorageOutage = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OutageFilter).FullName!);
        var filter = new OutageFilter(logger, logStorageOutage);
        var group = app.MapGroup("/api");
        // Also as metadata, so the architecture tests can see which endpoints answer outages.
        group.AddEndpointFilter(filter).WithMetadata(filter);
        return group;
    }

    /// <summary>Loads the session before the handler and refuses what <paramref name="requirement"/> does not allow.</summary>
    public static RouteHandlerBuilder RequireSession(this RouteHandlerBuilder builder, SessionRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(requirement);
        builder.WithMetadata(requirement);
        return builder.AddEndpointFilterFactory((factory, next) =>
        {
            var services = factory.ApplicationServices;
            var filter = new RequireSessionFilter(requirement, services.GetRequiredService<PortalSessions>(), services.GetRequiredService<PortalOptions>(),
                requirement.Need == SessionNeed.Elevated ? services.GetRequiredService<ElevationGuard>() : null);
            return context => filter.InvokeAsync(context, next);
        });
    }

    /// <summary>Refuses with 400 and <paramref name="message"/> a body that is missing, malformed or not <paramref name="valid"/>.</summary>
    public static RouteHandlerBuilder RequireBody<T>(this RouteHandlerBuilder builder, Func<T, bool> valid, string message) where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var body = context.Arguments.OfType<JsonBody<T>>().FirstOrDefault()
                ?? throw new InvalidOperationException($"RequireBody<{typeof(T).Name}> on a handler without a JsonBody<{typeof(T).Name}> parameter.");
            return body.Read is { } read && valid(read) ? await next(context) : Api.Ko(StatusCodes.Status400BadRequest, message);
        });
    }

    /// <summary>
    /// Refuses with 429 and <c>Retry-After</c> a client IP over <paramref name="limiter"/>'s budget, before anything
    /// else runs; <paramref name="onLimited"/> logs it as the feature's own event (the IP, the seconds to wait).
    /// </summary>
    public static RouteHandlerBuilder LimitPerIp(this RouteHandlerBuilder builder, IpRateLimiter limiter, TrustedProxies proxies,
        Action<System.Net.IPAddress, long> onLimited)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(onLimited);
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var ip = context.HttpContext.ClientIp(proxies);
            if (limiter.TryAcquire(ip) is not { } wait)
            {
                return await next(context);
            }
            var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
            onLimited(ip, seconds);
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Api.Ko(StatusCodes.Status429TooManyRequests, "Too many requests. Try again later.");
        });
    }

    /// <summary>
    /// Every answer of the filters after this one and the handler takes at least <paramref name="minimum"/>, whatever
    /// it is (a refusal, an outage, a success), so its timing tells nothing about which it was.
    /// </summary>
    public static RouteHandlerBuilder TakesAtLeast(this RouteHandlerBuilder builder, TimeSpan minimum, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(time);
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var started = time.GetTimestamp();
            try
            {
                return await next(context);
            }
            finally
            {
                var remaining = minimum - time.GetElapsedTime(started);
                if (remaining > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, context.HttpContext.RequestAborted);
                }
            }
        });
    }
}
