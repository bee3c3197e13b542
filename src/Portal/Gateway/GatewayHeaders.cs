using System.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace Portal.Gateway;

/// <summary>
/// Header hygiene on the way upstream (YARP copies every client header by default). Runs after YARP's copy, so
/// what it removes is gone and what it sets is the only value: the client cannot name a <c>Remote-*</c> or
/// <c>X-Forwarded-*</c> header in any spelling, and listing ours in <c>Connection</c> is moot because they are
/// added after hop-by-hop handling.
/// </summary>
internal static class GatewayHeaders
{
    /// <summary>Exact names (after normalisation) that only the gateway may set or that backends use to re-route.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "forwarded", "x-real-ip", "x-client-ip", "x-original-url", "x-original-method", "x-original-uri", "x-rewrite-url",
        "session-username",
    };

    /// <summary>
    /// True for a header the client must not send upstream. Names are compared lower-case with '_' read as '-',
    /// because backends (CGI, PHP, some frameworks) fold <c>Remote_User</c> and <c>Remote-User</c> together.
    /// </summary>
    public static bool IsReserved(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = name.Replace('_', '-').ToLowerInvariant();
        return ReservedPrefixes.Any(p => normalized.StartsWith(p, StringComparison.Ordinal))
            || Reserved.Contains(normalized);
    }

    /// <summary>
    /// Ours (<c>remote-</c>, <c>x-forwarded-</c>), and the identity headers of other SSO proxies that an app may have
    /// been set up to trust: oauth2-proxy (<c>x-forwarded-user</c>, <c>x-auth-request-*</c>), <c>x-remote-user</c>,
    /// the Grafana/Gitea auth proxy (<c>x-webauth-*</c>), authentik (<c>x-authentik-*</c>). The nginx and Caddy
    /// snippets in deploy/ drop the same names.
    /// </summary>
    private static readonly string[] ReservedPrefixes = ["remote-", "x-forwarded-", "x-remote-", "x-auth-request-", "x-webauth-", "x-authentik-"];

    public static ValueTask ApplyAsync(RequestTransformContext context, IReadOnlySet<string> sessionCookieNames)
    {
        ArgumentNullException.ThrowIfNull(context);
        // No decision, no request: a route reached without the decision step must not be forwarded.
        var forwarding = context.HttpContext.Features.Get<GatewayForwarding>()
            ?? throw new InvalidOperationException("gateway request reached the forwarder without a decision");
        // Whatever touched Request.Path since the decision, the upstream gets the path that was decided.
        context.Path = forwarding.Path;
        var request = context.ProxyRequest;
        RemoveReserved(request.Headers);
        if (request.Content is { } content)
        {
            RemoveReserved(content.Headers);
        }
        if (!forwarding.Route.PassSessionCookie)
        {
            StripSessionCookies(request.Headers, sessionCookieNames);
        }
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwarding.ForwardedFor);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", forwarding.Scheme);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", context.HttpContext.Request.Host.Value);
        foreach (var (name, value) in forwarding.Identity)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return ValueTask.CompletedTask;
    }

    private static void RemoveReserved(HttpHeaders headers)
    {
        List<string>? doomed = null;
        foreach (var header in headers)
        {
            if (IsReserved(header.Key))
            {
                (doomed ??= []).Add(header.Key);
            }
        }
        foreach (var name in doomed ?? [])
        {
            headers.Remove(name);
        }
    }

    /// <summary>Removes the portal's session cookies (every configured name) and keeps the application's own.</summary>
    internal static void StripSessionCookies(HttpRequestHeaders headers, IReadOnlySet<string> names)
    {
        if (!headers.TryGetValues("Cookie", out var values))
        {
            return;
        }
        var kept = new List<string>();
        foreach (var value in values)
        {
            foreach (var pair in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = (eq < 0 ? pair : pair[..eq]).Trim();
                if (!names.Contains(name))
                {
                    kept.Add(pair);
                }
            }
        }
        headers.Remove("Cookie");
        if (kept.Count > 0)
        {
            headers.TryAddWithoutValidation("Cookie", string.Join("; ", kept));
        }
    }
}
