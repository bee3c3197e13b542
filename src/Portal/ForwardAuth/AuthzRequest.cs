using System.Net;
using Portal.AccessControl;

namespace Portal.ForwardAuth;

/// <summary>
/// What a forward-auth decision reads from a call, free of HTTP: the authz endpoints (through their
/// <see cref="AuthzProfile"/>) and the in-process gateway fill it from their requests and ask exactly the same question.
/// </summary>
internal sealed record AuthzRequest
{
    /// <summary>The proxy shape that asked: its answers to "cannot decide" and "log in first".</summary>
    public required AuthzProfile Profile { get; init; }

    /// <summary>The canonical target.</summary>
    public required AccessTarget Target { get; init; }

    /// <summary>The target as the user spelled it, for <c>rd</c>.</summary>
    public required string OriginalUrl { get; init; }

    /// <summary>The client, resolved through trusted proxies.</summary>
    public required IPAddress ClientIp { get; init; }

    /// <summary>The <c>Cookie</c> header values.</summary>
    public IReadOnlyList<string?> Cookies { get; init; } = [];

    public string Authorization { get; init; } = "";

    public string ProxyAuthorization { get; init; } = "";

    public string Accept { get; init; } = "";

    /// <summary><c>X-Requested-With</c>: <c>XMLHttpRequest</c> gets a 401 rather than a redirect.</summary>
    public string RequestedWith { get; init; } = "";

    /// <summary><c>Session-Username</c>: the user the proxy says this browser should be (Authelia's hijack check).</summary>
    public string SessionUsername { get; init; } = "";

    /// <summary>The portal URL this call names (<see cref="AuthzProfile"/>), still to be checked; null: none.</summary>
    public string? PortalUrlOverride { get; init; }

    /// <summary><c>?auth=basic</c> on <c>/api/verify</c>: <c>HeaderLegacy</c> reads and requires <c>Authorization</c>.</summary>
    public bool BasicDemanded { get; init; }

    /// <summary>The gateway serves plain-http listeners it owns (the localhost demo); proxies never do.</summary>
    public bool AllowPlainHttp { get; init; }

    /// <summary>The endpoint's authn strategies, in order; null: the profile's defaults.</summary>
    public IReadOnlyList<AuthnStrategy>? Strategies { get; init; }
}
