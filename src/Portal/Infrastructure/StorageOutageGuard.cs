using Portal.Storage;

namespace Portal.Infrastructure;

/// <summary>
/// A store call that fails (database down, locked, damaged: <see cref="StorageException"/>) answers 503 on whatever
/// endpoint made it — sign-in, security keys, passkeys, codes — rather than a bare 500. Nothing was decided: the
/// stores run before any session changes, and a cookie set on the way is dropped. Forward-auth of an existing
/// session asks no store, so it keeps deciding.
/// </summary>
internal static partial class StorageOutageGuard
{
    public static IApplicationBuilder UseStorageOutageGuard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageOutageGuard));
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (StorageException e) when (!context.Response.HasStarted)
            {
                LogStorageFailed(logger, context.Request.Path, e);
                context.Response.Headers.Remove("Set-Cookie");
                await Api.Ko(503, "The storage is unavailable. Try again shortly.").ExecuteAsync(context);
            }
        });
    }

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "storage failed while answering {Path}; answered 503")]
    private static partial void LogStorageFailed(ILogger logger, PathString path, Exception exception);
}
