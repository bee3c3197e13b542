using Portal.AccessControl;

namespace Portal.ForwardAuth;

/// <summary>
/// <c>/api/verify</c>: either header shape (<c>X-Original-URL</c>, else <c>X-Forwarded-*</c> over the request itself),
/// any method and sub-path, a 401 for what cannot be decided, and a portal URL only when the call names one
/// (<c>rd</c> or <c>X-Authelia-URL</c>).
/// </summary>
internal sealed class LegacyProfile : AuthzProfile
{
    private static readonly IReadOnlyList<AuthnStrategy> Defaults =
        [new(AuthnStrategyKind.HeaderLegacy), new(AuthnStrategyKind.CookieSession)];

    public override AuthzImplementation Implementation => AuthzImplementation.Legacy;

    public override IReadOnlyList<AuthnStrategy> DefaultStrategies => Defaults;

    public override bool AnswersAnyMethod => true;

    public override int BadRequestStatus => 401;

    public override bool PortalUrlFromCookie => false;

    protected override bool TryParseTarget(HttpRequest request, out AccessTarget target, out string error)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers;
        if (headers.ContainsKey("X-Original-URL"))
        {
            target = null!;
            if (!ProxyHeaders.TrySingle(headers, "X-Original-URL", out var url, out error))
            {
                return false;
            }
            var method = ProxyHeaders.Optional(headers, "X-Forwarded-Method", out error) ?? request.Method;
            if (error.Length > 0 || !AccessTarget.TryCreateRequested(url, method, out target, out error))
            {
                return false;
            }
            return AgreesWithForwardedTarget(headers, target, request.Method, out error);
        }
        var pathAndQuery = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        return ProxyHeaders.TryForwardedParts(headers, requireMethod: false, request.Host.Value ?? "", pathAndQuery, request.Method, out target, out error);
    }

    /// <summary>
    /// A proxy that passes client headers through (Traefik's forwardAuth) writes X-Forwarded-* itself but leaves a
    /// client's X-Original-URL alone, so when both name a complete target and they differ, neither is believed.
    /// Without X-Forwarded-Uri (nginx configs often set only Proto and Host) there is nothing to compare.
    /// </summary>
    private static bool AgreesWithForwardedTarget(IHeaderDictionary headers, AccessTarget original, string requestMethod, out string error)
    {
        error = "";
        if (!ProxyHeaders.Present(headers, "X-Forwarded-Proto") || !ProxyHeaders.Present(headers, "X-Forwarded-Host") || !ProxyHeaders.Present(headers, "X-Forwarded-Uri"))
        {
            return true;
        }
        if (!ProxyHeaders.TryForwardedParts(headers, requireMethod: false, fallbackHost: null, fallbackUri: null, requestMethod, out var forwarded, out var forwardedError))
        {
            error = $"X-Original-URL is set but the X-Forwarded-* target is unusable: {forwardedError}";
            return false;
        }
        // Equal canonical targets can still be spelled so that apps read them differently: compare every reading.
        if (!original.Equals(forwarded) || !original.Readings.Select(r => r.Path).SequenceEqual(forwarded.Readings.Select(r => r.Path)))
        {
            error = $"X-Original-URL ({original}) and X-Forwarded-* ({forwarded}) name different targets";
            return false;
        }
        return true;
    }

    protected override string OriginalUrl(IHeaderDictionary headers, AccessTarget target)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return NonEmpty(headers["X-Original-URL"].ToString()) ?? base.OriginalUrl(headers, target);
    }

    /// <summary>The query's <c>rd</c>, else the <c>X-Authelia-URL</c> header.</summary>
    protected override string? PortalUrlOverride(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return NonEmpty(request.Query["rd"].ToString()) ?? NonEmpty(request.Headers["X-Authelia-URL"].ToString());
    }

    /// <summary><c>?auth=basic</c>: <c>HeaderLegacy</c> reads <c>Authorization</c> and requires it.</summary>
    protected override bool DemandsBasic(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Query["auth"] == "basic";
    }
}
