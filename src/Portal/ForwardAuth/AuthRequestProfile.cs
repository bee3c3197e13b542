using Portal.AccessControl;

namespace Portal.ForwardAuth;

/// <summary>nginx <c>auth_request</c>: the target in <c>X-Original-URL</c> and <c>X-Original-Method</c>; <c>/api/authz/auth-request</c>.</summary>
internal sealed class AuthRequestProfile : AuthzProfile
{
    private static readonly IReadOnlyList<AuthnStrategy> Defaults =
        [new(AuthnStrategyKind.HeaderAuthorization), new(AuthnStrategyKind.CookieSession)];

    public override AuthzImplementation Implementation => AuthzImplementation.AuthRequest;

    public override IReadOnlyList<AuthnStrategy> DefaultStrategies => Defaults;

    protected override bool TryParseTarget(HttpRequest request, out AccessTarget target, out string error)
    {
        ArgumentNullException.ThrowIfNull(request);
        target = null!;
        if (!ProxyHeaders.TrySingle(request.Headers, "X-Original-URL", out var url, out error)
            || !ProxyHeaders.TrySingle(request.Headers, "X-Original-Method", out var method, out error))
        {
            return false;
        }
        return AccessTarget.TryCreateRequested(url, method, out target, out error);
    }

    protected override string OriginalUrl(IHeaderDictionary headers, AccessTarget target)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return NonEmpty(headers["X-Original-URL"].ToString()) ?? base.OriginalUrl(headers, target);
    }

    /// <summary>Always 401 with <c>Location</c>: nginx's <c>auth_request</c> only understands 2xx, 401 and 403.</summary>
    public override AuthzReply Unauthorized(string? redirectUrl, string method, string accept, string requestedWith) =>
        redirectUrl is null ? AuthzReply.Plain(401) : AuthzReply.LoginLink(401, redirectUrl);
}
