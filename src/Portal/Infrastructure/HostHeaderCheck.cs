using Portal.AccessControl;

namespace Portal.Infrastructure;

/// <summary>
/// Refuses a request whose Host header carries a label that looks like punycode (<c>xn--</c>) but is not. ASP.NET
/// Core decodes such labels whenever <c>HttpRequest.Host</c> is read (routing, handlers, logs) and throws, which
/// would turn a client's typo or probe into a 500 with a stack trace.
/// </summary>
internal static partial class HostHeaderCheck
{
    /// <summary>True when the raw Host header can be read as <c>HttpRequest.Host</c> and names a real IDN, if any.</summary>
    public static bool IsUsable(string rawHost)
    {
        ArgumentNullException.ThrowIfNull(rawHost);
        if (rawHost.StartsWith('['))
        {
            return true; // an IPv6 literal; Kestrel has already checked its characters
        }
        var colon = rawHost.LastIndexOf(':');
        return AccessTarget.HasValidPunycode(colon < 0 ? rawHost : rawHost[..colon]);
    }

    /// <param name="refuse">writes the 400 answer in the application's own style</param>
    public static IApplicationBuilder UseHostHeaderCheck(this IApplicationBuilder app, Func<HttpContext, Task> refuse)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.HostHeader");
        return app.Use((context, next) =>
        {
            var raw = context.Request.Headers.Host.ToString();
            if (IsUsable(raw))
            {
                return next(context);
            }
            LogRefused(logger, raw.Length > 200 ? raw[..200] : raw);
            return refuse(context);
        });
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Refused a request for host {Host}: not a valid internationalised domain name")]
    private static partial void LogRefused(ILogger logger, string host);
}
