using Portal.Session;
using Portal.Storage;

namespace Portal.Infrastructure;

/// <summary>
/// The one place an API endpoint answers an outage: the session store (<see cref="SessionStoreUnavailableException"/>)
/// or the database (<see cref="StorageException"/>) failing, in the handler or in <see cref="RequireSessionFilter"/>,
/// is a 503 that says which, never a 500. Nothing was changed, so the client may retry. Every API group carries it
/// (<see cref="EndpointConventions.MapApiGroup"/>); no handler catches these itself (an architecture test checks).
/// </summary>
/// <param name="logStorageOutage">the group's own log event for a storage outage, if it has one</param>
internal sealed partial class OutageFilter(ILogger logger, Action<ILogger, Exception>? logStorageOutage = null) : IEndpointFilter
{
    public const string SessionStoreUnavailable = "The session store is unavailable. Try again shortly.";
    public const string StorageUnavailable = "The storage is unavailable. Try again shortly.";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (SessionStoreUnavailableException)
        {
            // Nothing was decided: a cookie set on the way (a half-done sign-in) must not reach the browser.
            context.HttpContext.Response.Headers.Remove("Set-Cookie");
            context.HttpContext.RequestServices.GetService<SessionMetrics>()?.StoreFailed();
            return Api.Ko(StatusCodes.Status503ServiceUnavailable, SessionStoreUnavailable);
        }
        catch (StorageException e)
        {
            (logStorageOutage ?? LogStorageFailed)(logger, e);
            context.HttpContext.RequestServices.GetService<StorageMetrics>()?.Failed(e);
            context.HttpContext.Response.Headers.Remove("Set-Cookie");
            return Api.Ko(StatusCodes.Status503ServiceUnavailable, StorageUnavailable);
        }
    }

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "API request failed: the storage is unavailable")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception);
}
