using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Portal.AccessControl;
using Portal.ForwardAuth;
using Portal.Infrastructure;
using Yarp.ReverseProxy.Model;

namespace Portal.Gateway;

/// <summary>
/// The first step of YARP's pipeline: every request a route matched is decided here, from the real request, before
/// anything is forwarded. Only a 200 decision lets it continue; every other outcome (including errors) ends it here.
/// </summary>
internal sealed partial class GatewayDecisionMiddleware(
    IGatewayDecider decider,
    GatewayListener listener,
    GatewayTrustedProxies proxies,
    GatewayMetrics metrics,
    ILogger<GatewayDecisionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.Request;
        var route = context.Features.Get<IReverseProxyFeature>()?.Route.Config is { } config ? GatewayRoute.From(config) : null;
        if (route is null)
        {
            await GatewayPages.NotFoundAsync(context);
            return;
        }

        var peer = context.Connection.RemoteIpAddress;
        var trustedPeer = proxies.Value.IsTrusted(peer);
        var scheme = proxies.SchemeOf(context);
        var clientIp = proxies.Value.ResolveClient(peer, request.Headers["X-Forwarded-For"].OfType<string>()) ?? IPAddress.None;

        // One reading of the request: a raw target that Kestrel, the rules and the app could read differently is
        // refused; otherwise the decision is taken on Request.Path, which is exactly what YARP forwards (pinned again
        // in the transform below), never on a second parse of the raw bytes.
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var host = request.Host.Value ?? "";
        var forwardPath = request.Path;
        var forwardPathAndQuery = forwardPath.ToUriComponent() + request.QueryString.ToUriComponent();
        string? error = GatewayRequestTarget.Ambiguity(raw);
        AccessTarget? target = null;
        if (error is not null || host.Length == 0 || request.PathBase.HasValue
            || !AccessTarget.TryCreate(scheme, host, forwardPathAndQuery, request.Method, out target, out error))
        {
            LogBadTarget(logger, request.Method, host, raw.Length > 200 ? raw[..200] : raw, error ?? "no host");
            metrics.Decided(GatewayMetrics.BadRequest);
            await GatewayPages.BadRequestAsync(context, "The request's address could not be understood.");
            return;
        }

        var question = new GatewayQuestion(target, $"{scheme}://{host}{raw}", host, forwardPathAndQuery, clientIp,
            GatewayQuestion.SelectHeaders(request.Headers), listener.AllowsPlainHttpFor(target.Host));
        AuthzReply reply;
        try
        {
            reply = await decider.DecideAsync(question, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (PortalUnreachableException e)
        {
            LogPortalUnreachable(logger, target.ToString(), e.Message);
            metrics.Decided(GatewayMetrics.PortalUnreachable);
            await GatewayPages.PortalUnreachableAsync(context);
            return;
        }

        metrics.Decided(reply.Status switch
        {
            200 => GatewayMetrics.Allowed,
            403 => GatewayMetrics.Forbidden,
            400 => GatewayMetrics.BadRequest,
            503 => GatewayMetrics.Unavailable,
            _ => GatewayMetrics.Unauthorized,
        });
        if (reply.Status != 200)
        {
            await RefuseAsync(context, reply);
            return;
        }
        if (!route.Websockets && IsUpgrade(context))
        {
            await GatewayPages.BadRequestAsync(context, "WebSockets are not enabled for this site.");
            return;
        }

        var identity = reply.Headers.Where(h => h.Key.StartsWith("Remote-", StringComparison.OrdinalIgnoreCase)).ToList();
        var setCookies = reply.Headers.Where(h => h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        if (setCookies.Count > 0)
        {
            // After YARP copied the upstream's headers, so the portal's cookie refresh and the app's cookies both arrive.
            // A cookie the upstream sets itself is newer than the refresh decided before forwarding: when the upstream
            // is the portal, a sign-in or elevation has just replaced the session id, and the old id must not win.
            context.Response.OnStarting(() =>
            {
                var upstreamNames = context.Response.Headers.SetCookie.Select(CookieName).ToHashSet(StringComparer.Ordinal);
                foreach (var cookie in setCookies.Where(c => !upstreamNames.Contains(CookieName(c))))
                {
                    context.Response.Headers.Append("Set-Cookie", cookie);
                }
                return Task.CompletedTask;
            });
        }
        var forwardedFor = trustedPeer && request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } chain
            ? $"{chain}, {Normalize(peer)}"
            : Normalize(peer);
        context.Features.Set(new GatewayForwarding(route, scheme, forwardedFor, identity, forwardPath));
        await next();
    }

    private static string CookieName(string? setCookie)
    {
        var value = setCookie ?? "";
        var end = value.IndexOf('=', StringComparison.Ordinal);
        return (end < 0 ? value : value[..end]).Trim();
    }

    private static string Normalize(IPAddress? address) =>
        address is null ? "unknown" : AclNetwork.Normalize(address).ToString();

    private static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;

    /// <summary>The decision's answer, except that a 403 becomes the gateway's page (with the portal's cookies kept).</summary>
    private static Task RefuseAsync(HttpContext context, AuthzReply reply)
    {
        if (reply.Status == 403)
        {
            return GatewayPages.ForbiddenAsync(context, reply.Headers.Where(h => h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)));
        }
        // A redirect or 401 body is a bare link or a line of text: nothing to load.
        GatewayPages.ApplySecurityHeaders(context, Infrastructure.SecurityHeaders.ApiPolicy);
        return reply.WriteAsync(context.Response, HttpMethods.IsHead(context.Request.Method));
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Gateway refused {Method} {Host}{Target}: not a usable request target ({Reason})")]
    private static partial void LogBadTarget(ILogger logger, string method, string host, string target, string reason);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Gateway could not get a decision for {Target}, failing closed: {Error}")]
    private static partial void LogPortalUnreachable(ILogger logger, string target, string error);
}
