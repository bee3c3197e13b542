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
}
